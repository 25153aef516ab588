// Download CSV links: the page's link shows the export's address without credentials; a click
// fetches a single-use ticket and downloads with it, so the bearer token is never in a URL.
import { exportUrl, newTicket } from './api.ts';

/** Downloads the export with a fresh ticket: the handler of a Download CSV link's click. */
export async function downloadExport(id: string, query: URLSearchParams): Promise<void> {
  const withTicket = new URLSearchParams(query);
  withTicket.set('ticket', await newTicket('export'));
  const link = document.createElement('a');
  link.href = exportUrl(id, withTicket);
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

/** A Download CSV link's click: the download goes through downloadExport, not the bare href. */
export function onExportClick(
  event: MouseEvent,
  id: string,
  query: URLSearchParams,
  onError: (message: string) => void,
): void {
  event.preventDefault();
  downloadExport(id, query).catch((err: unknown) =>
    onError(`Download failed: ${err instanceof Error ? err.message : String(err)}`),
  );
}
