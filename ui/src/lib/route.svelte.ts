// The screen shown, from the URL's hash (#/ or #/segments/<id>/members), so that the browser's
// back button and bookmarks work without the server knowing the UI's routes.

export type Route =
  { readonly screen: 'home' } | { readonly screen: 'members'; readonly id: string };

function parse(hash: string): Route {
  const members = /^#\/segments\/([^/]+)\/members$/.exec(hash);
  return members ? { screen: 'members', id: decodeURIComponent(members[1]!) } : { screen: 'home' };
}

export class Router {
  route = $state<Route>(parse(location.hash));

  constructor() {
    addEventListener('hashchange', () => (this.route = parse(location.hash)));
  }
}

export const membersHref = (id: string) => `#/segments/${encodeURIComponent(id)}/members`;
