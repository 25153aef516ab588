// What a card's trend must say, from the API alone: the last hour of GET /v1/segments/:id/history
// per minute with the newest minute at the current count (the card follows the live count).
import type { TestApi } from '../../api/test-support.ts';
import { trendText } from '../../ui/src/lib/format.ts';
import { sizeChange } from '../../ui/src/lib/series.ts';

const HOUR_MS = 3_600_000;

export async function apiTrend(api: TestApi, id: string): Promise<string> {
  const viewer = api.as('viewer');
  const from = encodeURIComponent(new Date(Date.now() - HOUR_MS).toISOString());
  const history = (await viewer.get(`/v1/segments/${id}/history?step=minute&from=${from}`)).json();
  const count: number = (await viewer.get(`/v1/segments/${id}`)).json().status.count;
  const points = history.points.map(
    (p: { at: string; count: number; entered: number; exited: number }) => ({
      ...p,
      t: Date.parse(p.at) / 1000,
    }),
  );
  if (points.length > 0) points[points.length - 1] = { ...points.at(-1), count };
  return trendText(sizeChange(points, count));
}
