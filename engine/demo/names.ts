// Common first and last names per site language, used only to make the fake e-mail addresses of
// demo players look like real ones (so anonymization and exports have something to work on).
// Every address uses the reserved example.* domains, so none of them can reach anyone.

interface NamePool {
  readonly first: readonly string[];
  readonly last: readonly string[];
}

const POOLS: Readonly<Record<string, NamePool>> = {
  de: pool('lukas max jonas anna lena sarah thomas julia', 'mueller schmidt weber wagner becker'),
  en: pool('james oliver jack emily sophie chloe daniel liam', 'smith jones taylor brown wilson'),
  sv: pool('erik lars anders emma maja elsa johan oskar', 'andersson johansson karlsson nilsson'),
  fi: pool('mikko juha antti aino emilia laura ville timo', 'korhonen virtanen nieminen makinen'),
  no: pool('ole lars magnus nora ingrid emma henrik sindre', 'hansen johansen olsen larsen berg'),
  es: pool(
    'alejandro pablo javier lucia maria carmen sergio diego',
    'garcia lopez martinez sanchez',
  ),
  it: pool('marco luca andrea giulia chiara sofia matteo paolo', 'rossi russo ferrari esposito'),
  pt: pool('joao pedro lucas ana beatriz mariana gabriel rafael', 'silva santos oliveira souza'),
  fr: pool('louis hugo lucas chloe camille manon julien nicolas', 'martin bernard dubois moreau'),
  nl: pool('daan sem lucas emma julia sanne thijs bram', 'dejong jansen devries vandenberg'),
  da: pool('mads frederik oliver ida freja clara mikkel rasmus', 'nielsen jensen hansen pedersen'),
};

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

function pool(first: string, last: string): NamePool {
  return { first: first.split(' '), last: last.split(' ') };
}

export function namePool(language: string): NamePool {
  return POOLS[language] ?? (POOLS.en as NamePool);
}
