// A segment's size over time for a chart: loaded from GET /v1/segments/:id/history, then kept
// current by the live counts (series.ts places each one), so the chart moves without reloading
// and agrees with what the history route answers later.
import { untrack } from 'svelte';
import { sizeHistory, type Step } from './insight.ts';
import { recordPoint, type SizePoint } from './series.ts';

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
    const seen = { at: atMs / 1000, count, entered, exited };
    this.points = recordPoint(this.points, STEP_SECONDS[this.step], this.spanMs / 1000, seen);
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
