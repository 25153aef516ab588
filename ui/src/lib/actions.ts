// The actions of a segment as the API lists them (docs/api.md "Actions") and their deletion.
import { api, type Action } from './api.ts';
import type { ActionTiming } from './action-text.ts';

export interface ActionRecord extends Action, ActionTiming {
  readonly segment_version: number;
  readonly url?: string;
  readonly created_at: string;
  readonly created_by: string;
}

export const segmentActions = (segmentId: string) =>
  api<{ actions: ActionRecord[] }>(`/v1/segments/${encodeURIComponent(segmentId)}/actions`).then(
    (r) => r.actions,
  );

export const deleteAction = (id: string) =>
  api<void>(`/v1/actions/${encodeURIComponent(id)}`, { method: 'DELETE' });
