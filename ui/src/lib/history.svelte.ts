// A segment's size over time for a chart: loaded from GET /v1/segments/:id/history, then kept
// current by the live counts. A live update lands in the step it happened in (a new step is
// added, the steps in between carrying the count before), so the chart moves without reloading
// and agrees with what the history route answers later.
import { untrack } from 'svelte';
import { sizeHistory, type Step } from './insight.ts';

export interface SizePoint {
  /** Start of the step, epoch seconds. */
  readonly t: number;
  count: number;
  entered: number;
  exited: number;
}

const STEP_SECONDS: Record<Step, number> = { minute: 60, hour: 3_600 };

export class SizeHistory {
  points = $state<SizePoint[]>([]);
  loaded = $state(false);
  error = $state('');

  constructor(
    readonly segment: string,
    readonly step: Step,
    /** How far back the series reaches, milliseconds. */
    readonly spanMs: number,
  ) {}

  async load(): Promise<void> {
    try {
      const points = await sizeHistory(this.segment, this.step, Date.now() - this.spanMs);
      this.points = points.map((p) => ({ ...p, t: Date.parse(p.at) / 1000 }));
      this.error = '';
    } catch (err) {
      this.error = err instanceof Error ? err.message : 'History not available';
    }
    this.loaded = true;
  }

  /** A count seen at `atMs`, with the players who moved to get there (0 when not known). */
  record(count: number, atMs: number, entered = 0, exited = 0): void {
    if (!this.loaded) return;
    const step = STEP_SECONDS[this.step];
    const t = Math.floor(atMs / 1000 / step) * step;
    const points = [...this.points];
    let last = points.at(-1);
    if (last !== undefined && t < last.t) return;
    while (last !== undefined && last.t + step < t) {
      last = { t: last.t + step, count: last.count, entered: 0, exited: 0 };
      points.push(last);
    }
    if (last?.t === t)
      points[points.length - 1] = {
        ...last,
        count,
        entered: last.entered + entered,
        exited: last.exited + exited,
      };
    else points.push({ t, count, entered, exited });
    const oldest = t - this.spanMs / 1000;
    this.points = points.filter((p) => p.t >= oldest);
  }

  /** The series as uPlot wants it: times, counts, entered, exited. */
  get columns(): [number[], number[], number[], number[]] {
    const p = this.points;
    return [
      p.map((x) => x.t),
      p.map((x) => x.count),
      p.map((x) => x.entered),
      p.map((x) => x.exited),
    ];
  }
}

/**
 * Keeps a chart's last point at the live count, also before any update moved it (call while a
 * component initialises). record() reads the points it replaces: untracked, or the effect would
 * follow itself.
 */
export function followCount(history: () => SizeHistory, count: () => number | null): void {
  $effect(() => {
    const followed = history();
    const seen = count();
    if (seen !== null && followed.loaded) untrack(() => followed.record(seen, Date.now()));
  });
}
