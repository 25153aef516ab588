// Money in the demo generator is kept in integer cents of the player's currency and printed as
// exact decimal text, so no float rounding ever reaches a stored amount.

export function centsText(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new RangeError(`not a non-negative whole number of cents: ${cents}`);
  }
  const units = Math.floor(cents / 100);
  return `${units}.${String(cents % 100).padStart(2, '0')}`;
}

/** Deposit sizes players pick, in currency units (before the market's money scale). */
const DEPOSIT_LADDER = [10, 20, 25, 50, 75, 100, 150, 200, 250, 300, 500, 1000, 2000, 5000];

/** The ladder value nearest to `units` (players deposit round amounts most of the time). */
export function roundDeposit(units: number): number {
  let best = DEPOSIT_LADDER[0] as number;
  for (const step of DEPOSIT_LADDER) {
    if (Math.abs(step - units) < Math.abs(best - units)) best = step;
  }
  return best;
}

/** Rounds cents down to a multiple of `step` cents, never below `step`. */
export function roundCents(cents: number, step: number): number {
  return Math.max(step, Math.floor(cents / step) * step);
}
