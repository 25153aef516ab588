// Lookups by id in the Lists catalogue. Rules name lists and fields only through these, so a name
// that is not in the catalogue never reaches SQL.
import type { Catalogue, EventList, Field, List, PlayersList } from './types.ts';

export function findList(catalogue: Catalogue, id: string): List | undefined {
  return catalogue.lists.find((list) => list.id === id);
}

export function findField(list: List, name: string): Field | undefined {
  return list.fields.find((field) => field.name === name);
}

/** The Players list. Every catalogue has one (DEFAULT_CATALOGUE and loadCatalogue ensure it). */
export function playersList(catalogue: Catalogue): PlayersList {
  const list = catalogue.lists.find((l): l is PlayersList => l.kind === 'players');
  if (!list) throw new Error('the catalogue has no Players list');
  return list;
}

export function eventLists(catalogue: Catalogue): EventList[] {
  return catalogue.lists.filter((l): l is EventList => l.kind === 'events');
}
