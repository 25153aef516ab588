// The rule compiler: rules (docs/rules.md) as ClickHouse SQL that runs on 18.16 and current
// releases.
export type { BatchSegment, CompileContext, ResolvedSegment } from './context.ts';
export { compileMembersQuery, compileMultiQuery } from './query.ts';
export { evaluateRule } from './evaluate.ts';
