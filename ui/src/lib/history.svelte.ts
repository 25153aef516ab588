// A segment's size over time for a chart: loaded from GET /v1/segments/:id/history, then kept
// current by the live counts (series.ts places each one), so the chart moves without reloading
// and agrees with what the history route answers later.
//
// The history holds a minute only once it is over and written, so a series that shows movers
// (`recentMovers`) also reads the transitions since the minute before and keeps the live updates
// it saw: a minute then counts the transitions plus the updates newer than the newest of them
// (by `seq`), or the history's own count when that is larger. Nothing is counted twice.
import { untrack } from 'svelte';
import { recentTransitions, sizeHistory, type Step, type Transition } from './insight.ts';
import {
  addMovers,
  fromStep,
  mergeMovers,
  moversByStep,
  recordPoint,
  type Move,
  type SizePoint,
} from './series.ts';

const STEP_SECONDS: Record<Step, number> = { minute: 60, hour: 3_600 };
/** The transitions route answers at most this many. */
const TRANSITIONS_LIMIT = 1_000;

export class SizeHistory {
  points = $state<SizePoint[]>([]);
  loaded = $state(false);
  error = $state('');
  /** Live updates of the current and the previous step, for the next load. */
  private moves: Move[] = [];
  /** The newest change the loaded transitions hold: live updates up to it are counted already. */
  private coveredSeq = -1;

  constructor(
    readonly segment: string,
    readonly step: Step,
    /** How far back the series reaches, milliseconds. */
    readonly spanMs: number,
    /** Whether the current and the previous step must count every mover (live ops). */
    readonly recentMovers = false,
  ) {}

  async load(): Promise<void> {
    const stepMs = STEP_SECONDS[this.step] * 1000;
    const previous = (Math.floor(Date.now() / stepMs) - 1) * stepMs;
    try {
      const [points, transitions] = await Promise.all([
        sizeHistory(this.segment, this.step, Date.now() - this.spanMs),
        this.recentMovers ? recentTransitions(this.segment, TRANSITIONS_LIMIT, previous) : [],
      ]);
      this.coveredSeq = Math.max(this.coveredSeq, ...transitions.map((t) => t.seq));
      const known = addMovers(
        moversByStep(transitions.map(transitionMove), stepMs / 1000),
        moversByStep(this.moves, stepMs / 1000, this.coveredSeq),
      );
      const loaded = points.map((p) => ({ ...p, t: Date.parse(p.at) / 1000 }));
      this.points = mergeMovers(loaded, known);
      this.error = '';
    } catch (err) {
      this.error = err instanceof Error ? err.message : 'History not available';
    }
    this.loaded = true;
  }

  /**
   * A count seen at `atMs`, with the players who moved to get there (0 when not known) in the
   * change numbered `seq` (a live update's; none for a count read otherwise).
   */
  record(count: number, atMs: number, entered = 0, exited = 0, seq?: number): void {
    if (seq !== undefined && this.recentMovers)
      this.keep({ at: atMs / 1000, seq, entered, exited });
    if (!this.loaded) return;
    const counted = seq !== undefined && seq <= this.coveredSeq;
    const seen = {
      at: atMs / 1000,
      count,
      entered: counted ? 0 : entered,
      exited: counted ? 0 : exited,
    };
    this.points = recordPoint(this.points, STEP_SECONDS[this.step], this.spanMs / 1000, seen);
  }

  private keep(move: Move): void {
    const oldest = move.at - 2 * STEP_SECONDS[this.step];
    this.moves = [...this.moves.filter((m) => m.at >= oldest), move];
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

  /**
   * The columns with the steps before the one holding `startSeconds` (epoch seconds) left empty:
   * the chart keeps its span but draws nothing where the segment did not exist yet.
   */
  columnsFrom(startSeconds: number | undefined): [number[], ...(number | null)[][]] {
    const first = fromStep(this.points, STEP_SECONDS[this.step], startSeconds)[0]?.t ?? Infinity;
    const [times, ...values] = this.columns;
    return [times, ...values.map((column) => column.map((v, i) => (times[i]! < first ? null : v)))];
  }
}

/** One player's transition as a change of one mover. */
const transitionMove = (t: Transition): Move => ({
  at: Date.parse(t.at) / 1000,
  seq: t.seq,
  entered: t.kind === 'entered' ? 1 : 0,
  exited: t.kind === 'exited' ? 1 : 0,
});

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
