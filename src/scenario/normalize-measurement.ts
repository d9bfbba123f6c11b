/**
 * `cost:` and `report.blastRadius:` to the settings a run measures with. Only the keys the file sets are
 * kept: the defaults belong to metrics/, and experiment/ lays `RunOptions` over these, key by key.
 *
 * Contents: `costSettings`, `blastRadiusSettings`.
 */
import type { BlastRadiusSettings, CostSettings, MaterialSettings } from './scenario.js';
import type { BlastRadiusInput } from './schema-blast-radius.js';
import type { MaterialInput } from './schema-material.js';
import type { CostInput } from './schema-cost.js';
import { parseFraction, parseRatio } from './units.js';

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** `o` without its undefined values, so that a key set to nothing never hides a default. */
function definedOnly<T extends object>(o: T): Defined<T> {
  const out: Defined<T> = {};
  for (const key of Object.keys(o) as (keyof T)[]) {
    const value = o[key];
    if (value !== undefined) out[key] = value as Exclude<T[keyof T], undefined>;
  }
  return out;
}

export function costSettings(input: CostInput | undefined): CostSettings {
  return definedOnly(input ?? {});
}

export function blastRadiusSettings(input: BlastRadiusInput | undefined): BlastRadiusSettings {
  const { errorRateRise, p99Rise, ...counts } = input ?? {};
  return {
    ...(errorRateRise === undefined ? {} : { errorRateRise: parseFraction(errorRateRise) ?? 0 }),
    ...(p99Rise === undefined ? {} : { p99Rise: parseRatio(p99Rise) ?? 0 }),
    ...definedOnly(counts),
  };
}

export function materialSettings(input: MaterialInput | undefined): MaterialSettings {
  const out: { -readonly [K in keyof MaterialSettings]: MaterialSettings[K] } = {};
  const { availability, latency, cost, blastRadius, locality } = input ?? {};
  if (availability !== undefined) out.availability = parseFraction(availability) ?? 0;
  if (latency !== undefined) out.latency = parseRatio(latency) ?? 0;
  if (cost !== undefined) out.cost = parseRatio(cost) ?? 0;
  if (blastRadius !== undefined) out.blastRadius = parseFraction(blastRadius) ?? 0;
  if (locality !== undefined) out.locality = parseFraction(locality) ?? 0;
  return out;
}
