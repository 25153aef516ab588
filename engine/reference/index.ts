// The reference evaluator's public surface (see engine/reference/evaluate.ts).
export { referenceEvaluate, type ReferenceContext, type ReferenceSegment } from './evaluate.ts';
export type { ReferenceData } from './data.ts';
