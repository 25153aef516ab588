// The screen shown, from the URL's hash (#/, #/segments/new, #/segments/<id>/members or
// #/segments/<id>/edit), so that the browser's back button and bookmarks work without the server
// knowing the UI's routes.

export type Route =
  | { readonly screen: 'home' }
  | { readonly screen: 'new' }
  | { readonly screen: 'members'; readonly id: string }
  | { readonly screen: 'edit'; readonly id: string }
  | { readonly screen: 'live' }
  | { readonly screen: 'detail'; readonly id: string };

function parse(hash: string): Route {
  if (hash === '#/segments/new') return { screen: 'new' };
  if (hash === '#/live') return { screen: 'live' };
  const detail = /^#\/segments\/([^/]+)$/.exec(hash);
  if (detail) return { screen: 'detail', id: decodeURIComponent(detail[1]!) };
  const page = /^#\/segments\/([^/]+)\/(members|edit)$/.exec(hash);
  if (!page) return { screen: 'home' };
  const id = decodeURIComponent(page[1]!);
  return page[2] === 'edit' ? { screen: 'edit', id } : { screen: 'members', id };
}

/**
 * Asked before the screen changes (a screen with unsaved changes sets it): false keeps the
 * screen and puts its address back, whether a link, the back button or a typed address moved.
 */
export const leaving: { guard?: () => boolean } = {};

export class Router {
  route = $state<Route>(parse(location.hash));

  constructor() {
    addEventListener('hashchange', (event) => {
      if (leaving.guard && !leaving.guard()) return history.pushState(null, '', event.oldURL);
      this.route = parse(location.hash);
    });
  }
}

export const membersHref = (id: string) => `#/segments/${encodeURIComponent(id)}/members`;
export const detailHref = (id: string) => `#/segments/${encodeURIComponent(id)}`;
export const editHref = (id: string) => `#/segments/${encodeURIComponent(id)}/edit`;
