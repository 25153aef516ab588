// The markets the demo population comes from: a weighted mix of European licensed markets plus
// Brazil and Canada, each with its currency, languages and phone prefix. `moneyScale` converts
// "about one euro" into the local currency so stakes and deposits look natural there.

export interface Market {
  readonly country: string;
  /** Share of the population, relative to the other markets. */
  readonly weight: number;
  readonly currency: string;
  /** Site languages used in the market, with their relative weights. */
  readonly languages: readonly (readonly [string, number])[];
  readonly phonePrefix: string;
  /** Local units per euro, rounded to a friendly factor (SEK 10, BRL 5, ...). */
  readonly moneyScale: number;
  /** Share of sportsbook-first players; the rest prefer casino or poker. */
  readonly sportsShare: number;
}

export const MARKETS: readonly Market[] = [
  market('DE', 24, 'EUR', { de: 1 }, '+49', 1, 0.35),
  market('AT', 6, 'EUR', { de: 1 }, '+43', 1, 0.3),
  market('CH', 4, 'CHF', { de: 6, fr: 3, it: 1 }, '+41', 1, 0.25),
  market('GB', 16, 'GBP', { en: 1 }, '+44', 1, 0.4),
  market('SE', 8, 'SEK', { sv: 9, en: 1 }, '+46', 10, 0.25),
  market('FI', 6, 'EUR', { fi: 8, sv: 2 }, '+358', 1, 0.2),
  market('NO', 5, 'NOK', { no: 1 }, '+47', 10, 0.25),
  market('ES', 7, 'EUR', { es: 1 }, '+34', 1, 0.45),
  market('IT', 6, 'EUR', { it: 1 }, '+39', 1, 0.45),
  market('BR', 8, 'BRL', { pt: 1 }, '+55', 5, 0.5),
  market('CA', 5, 'CAD', { en: 4, fr: 1 }, '+1', 1, 0.35),
  market('IE', 2, 'EUR', { en: 1 }, '+353', 1, 0.5),
  market('NL', 2, 'EUR', { nl: 1 }, '+31', 1, 0.3),
  market('DK', 1, 'DKK', { da: 1 }, '+45', 5, 0.3),
];

function market(
  country: string,
  weight: number,
  currency: string,
  languages: Readonly<Record<string, number>>,
  phonePrefix: string,
  moneyScale: number,
  sportsShare: number,
): Market {
  return {
    country,
    weight,
    currency,
    languages: Object.entries(languages),
    phonePrefix,
    moneyScale,
    sportsShare,
  };
}

export const MARKET_WEIGHTS: readonly (readonly [string, number])[] = MARKETS.map((m) => [
  m.country,
  m.weight,
]);

const BY_COUNTRY = new Map(MARKETS.map((m) => [m.country, m]));

export function marketOf(country: string): Market {
  const found = BY_COUNTRY.get(country);
  if (!found) throw new RangeError(`unknown demo market ${country}`);
  return found;
}

/** The market of a stored player's country, if the demo knows it (imported players may not). */
export function findMarket(country: string | null): Market | undefined {
  return country === null ? undefined : BY_COUNTRY.get(country);
}
