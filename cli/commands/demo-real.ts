// `segstream demo --data real`: the demo on the real bwin 2005 and CDNOW files instead of the
// generated population. It keeps to a database and key prefix of its own (`<database>_real`,
// `<prefix>real:`), so the generated demo and the real one never mix their players, and the
// starter segments of each see only their own data. The CDNOW purchases are replayed as a live
// stream (the generated stream would invent players the real data does not have).
import path from 'node:path';
import { loadCatalogue } from '../../engine/catalogue/load.ts';
import type { Config } from '../../engine/config/config.ts';
import {
  CDNOW_FILE,
  checkRealData,
  loadRealData,
  REAL_CATALOGUE_FILE,
  removeEarlierReplays,
} from '../../engine/demo/real/load.ts';
import { createRealStarterSegments } from '../../engine/demo/real/segments.ts';
import { formatSummary } from '../../engine/ingest/import/report.ts';
import { createSegmentRepository } from '../../engine/segments/repository.ts';
import type { Store } from '../../engine/store/clickhouse.ts';

export const DATA_KINDS = ['generated', 'real'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

export interface RealDemo {
  /** The settings of the real demo: its own database, prefix and catalogue. */
  config(base: Config): Config;
  /** The demo options with the replay of the CDNOW file and no generated stream. */
  readonly replayCdnow: string;
  load(store: Store): Promise<void>;
  starterSegments(store: Store, config: Config): Promise<void>;
}

/** Checks the data folder first, so a missing file stops the demo before anything starts. */
export function realDemo(dataDir: string, replayCdnow?: string): RealDemo {
  const dir = path.resolve(dataDir);
  checkRealData(dir);
  return {
    config: (base) => ({
      ...base,
      clickhouse: { ...base.clickhouse, database: `${base.clickhouse.database}_real` },
      redis: { ...base.redis, prefix: `${base.redis.prefix}real:` },
      catalogueFile: base.catalogueFile ?? REAL_CATALOGUE_FILE,
    }),
    replayCdnow: replayCdnow ?? path.join(dir, CDNOW_FILE),
    load: async (store) => {
      console.log(`loading the real data from ${dir}`);
      const report = await loadRealData(store, dir);
      await removeEarlierReplays(store);
      if (!report.loaded) {
        console.log('players table not empty: real data not imported again');
        return;
      }
      for (const [name, summary] of [
        ['bwin', report.bwin],
        ['cdnow', report.cdnow],
      ] as const) {
        if (summary) console.log(`${name}: ${formatSummary(summary).join('\n  ')}`);
      }
    },
    starterSegments: async (store, config) => {
      const segments = createSegmentRepository(store, {
        catalogue: loadCatalogue(config.catalogueFile),
        defaultTimezone: config.timezone,
      });
      const created = await createRealStarterSegments(segments);
      if (created > 0) console.log(`created ${created} real-data starter segments`);
    },
  };
}
