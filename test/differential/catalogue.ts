// The catalogue of the differential tests: the default one plus one operator-configured player
// attribute and one deposit property, so that key/value fields are compared too.
import { DEFAULT_CATALOGUE, field } from '../../engine/catalogue/default.ts';
import type { Catalogue } from '../../engine/catalogue/types.ts';

export const TEST_CATALOGUE: Catalogue = {
  lists: DEFAULT_CATALOGUE.lists.map((list) => {
    if (list.kind === 'players') {
      return {
        ...list,
        fields: [...list.fields, field('affiliate', 'Affiliate', 'string', { key: 'affiliate' })],
      };
    }
    if (list.id === 'deposits') {
      return {
        ...list,
        fields: [
          ...list.fields,
          field('bonus_code', 'Bonus code', 'string', { key: 'bonus_code' }),
        ],
      };
    }
    return list;
  }),
};
