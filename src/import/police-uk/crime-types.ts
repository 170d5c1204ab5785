// The "Crime type" values a street file may hold. A value outside this list refuses the
// file: a new or misspelt category must be looked at before it feeds a measure.

/** The 14 current police.uk categories, all seen in the real 2021–2023 files (police-data.md §1). */
export const CURRENT_CRIME_TYPES = [
  'Anti-social behaviour',
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
] as const;

/**
 * Categories of older archives. "Public disorder and weapons" is documented (ukcrimestats FAQ);
 * "Violent crime" is the category the API slug violent-crime was named after. Accepted so
 * older months import, but no measure maps to them.
 */
export const LEGACY_CRIME_TYPES = ['Public disorder and weapons', 'Violent crime'] as const;

export const KNOWN_CRIME_TYPES: ReadonlySet<string> = new Set<string>([...CURRENT_CRIME_TYPES, ...LEGACY_CRIME_TYPES]);

export const STREET_HEADER = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

export const MONTH_COLUMN = STREET_HEADER.indexOf('Month');
export const FALLS_WITHIN_COLUMN = STREET_HEADER.indexOf('Falls within');
export const CRIME_TYPE_COLUMN = STREET_HEADER.indexOf('Crime type');
