import { describe, expect, it } from 'vitest';
import { resolveQuery } from '../src/measures/resolve.ts';
import { contentTokens, MAX_QUESTION_CHARS, MAX_WORD_CHARS } from '../src/measures/normalize.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();

function resolvedId(query: string): string {
  const r = resolveQuery(store, query);
  if (r.kind === 'measure' || r.kind === 'priority' || r.kind === 'glossary') return `${r.kind}:${r.ref.id}`;
  if (r.kind === 'ambiguous' || r.kind === 'not-found') return `${r.kind}:${r.candidates.map((c) => c.id).join(',')}`;
  return r.kind;
}

// Written before the aliases: the ways officers and analysts actually ask.
const measureQueries: Record<string, string[]> = {
  homicide: [
    'homicide',
    'Homicides',
    'murder',
    'murders',
    'killings',
    'how many murders',
    'homocide',
    'murder rate',
    'unlawful killing',
    'police recorded homicide offences',
  ],
  'serious-violence': [
    'serious violence',
    'stabbings',
    'knife crime',
    'knife crime stats',
    'shootings',
    'GBH',
    'serious assaults',
    'serius violense',
    'how are we doing on knife crime?',
  ],
  'drugs-disruptions': ['drugs disruptions', 'drug disruptions', 'all drugs disruptions', 'drug busts', 'drug raids'],
  'county-lines-disrupted': ['county lines', 'county lines disrupted', 'county line gangs', 'countylines', 'cuckooing'],
  'drug-trafficking': [
    'drug trafficking',
    'drug dealing',
    'dealing',
    'supplying drugs',
    'drug traficking',
    'trafficking offences',
    "what's the trend for drug trafficking",
  ],
  burglary: [
    'burglary',
    'burglaries',
    'BURGLARY!!',
    'break-ins',
    'house burglary',
    'burglery',
    'domestic burglary',
    'how are we doing on burglary',
    'homes broken into',
  ],
  'vehicle-crime': [
    'vehicle crime',
    'car theft',
    'car crime',
    'stolen cars',
    'theft from vehicles',
    'vehicle theft',
    'thefts from cars',
    'car thefts',
  ],
  robbery: [
    'robbery',
    'street robbery',
    'muggings',
    'mugging',
    'robberies',
    'robery',
    'robbrey',
    'business robbery',
    "what's the trend for robbery?",
    'how is robbery looking',
    'Police recorded robbery offences',
    'tell me about robbery',
  ],
  'theft-from-the-person': [
    'theft from the person',
    'pickpocketing',
    'pickpockets',
    'pick-pocketing',
    'bag snatching',
    'phone snatching',
    'theft from person',
  ],
  'cyber-crime-investigated': [
    'cyber crime investigations',
    'investigating cyber crime',
    'cyber dependent crime investigated',
    'cyber crime disseminated',
    'cybercrime investigated',
  ],
  'cyber-victims-advised': [
    'cyber victims advice',
    'specialist advice',
    'cyber crime victim advice',
    'advice to cyber victims',
  ],
  'action-fraud-offences': ['action fraud offences', 'action fraud', 'fraud', 'scams', 'online fraud', 'frauds'],
  'overall-victim-satisfaction': [
    'overall victim satisfaction',
    'overall satisfaction',
    'victim satisfaction rate',
    'how satisfied are victims',
  ],
  'hate-crime-victim-satisfaction': [
    'hate crime victim satisfaction',
    'hate crime satisfaction',
    'hate crime',
    'hate crimes',
  ],
  'violent-crime-victim-satisfaction': [
    'violent crime victim satisfaction',
    'violence victim satisfaction',
    'satisfaction of victims of violence',
    'assault victims',
  ],
  'burglary-victim-satisfaction': [
    'burglary victim satisfaction',
    'burglary satisfaction',
    'burglary victims',
    'satisfaction of burglary victims',
  ],
  'rape-referrals-to-cps': [
    'rape referrals to CPS',
    'rape files sent to CPS',
    'rape referrals',
    'rape cases sent to the CPS',
    'rape files to cps',
    'rape referals',
  ],
  'rape-charges': [
    'rape charges',
    'charge volumes for rape',
    'number of rape charges',
    'rapes charged',
    'rape charge volumes',
  ],
  'rape-charge-rate': [
    'rape charge rate',
    'charge rate for rape',
    'rape charging rate',
    'percentage of rapes charged',
    'rape charge rates',
  ],
};

const priorityQueries: Record<string, string[]> = {
  'reduce-murder-and-other-homicide': ['Reduce Murder and Other Homicide', 'murder and homicide priority'],
  'reduce-serious-violence': ['Reduce Serious Violence', 'serious violence priority'],
  'disrupt-drugs-supply-and-county-lines': [
    'drugs',
    'drug supply',
    'disrupt drugs supply and county lines',
    'drugs priority',
  ],
  'reduce-neighbourhood-crime': [
    'neighbourhood crime',
    'neighborhood crime',
    'Reduce Neighbourhood Crime',
    'how are we doing on neighbourhood crime',
    'neighbourhood crimes',
    'acquisitive crime',
  ],
  'tackle-cyber-crime': ['cyber crime', 'cybercrime', 'cyber', 'tackle cyber crime', 'online crime'],
  'improve-victim-satisfaction': [
    'victim satisfaction',
    'victims',
    'domestic abuse victims',
    'Improve Victim Satisfaction, with a Focus on Victims of Domestic Abuse',
  ],
  'better-criminal-justice-outcomes-for-rape': [
    'rape',
    'rape cases',
    'rape outcomes',
    'RASSO',
    'better criminal justice outcomes for rape cases',
  ],
};

const glossaryQueries: Record<string, string[]> = {
  'action-fraud': ['what is action fraud', 'define action fraud', 'what does action fraud mean'],
  asp: ['what does ASP mean', 'ASP', 'what does ASP stand for'],
  'cyber-dependent-crime': ['what is cyber dependent crime', 'define cyber dependant crime'],
  cps: ['CPS', 'what is the CPS', 'crown prosecution service'],
  'domestic-abuse': ['what is domestic abuse', 'define domestic abuse', 'domestic abuse definition'],
  msg: ['MSG', 'what is MSG', 'most similar group', 'what are most similar forces', 'what does msg mean'],
  'neighbourhood-crime': ['what is neighbourhood crime', 'define neighborhood crime'],
  patrol: ['what is patrol', 'patrol'],
  prevent: ['what is PREVENT', 'prevent programme'],
  'project-bluestone': ['project bluestone', 'bluestone', 'what is bluestone', 'what is Project Bluestone?'],
};

describe('resolveQuery', () => {
  for (const [id, queries] of Object.entries(measureQueries)) {
    it.each(queries)(`"%s" → measure ${id}`, (q) => expect(resolvedId(q)).toBe(`measure:${id}`));
  }
  for (const [id, queries] of Object.entries(priorityQueries)) {
    it.each(queries)(`"%s" → priority ${id}`, (q) => expect(resolvedId(q)).toBe(`priority:${id}`));
  }
  for (const [id, queries] of Object.entries(glossaryQueries)) {
    it.each(queries)(`"%s" → glossary ${id}`, (q) => expect(resolvedId(q)).toBe(`glossary:${id}`));
  }

  it('lets a measure win over a glossary term with the same name unless a definition is asked for', () => {
    expect(resolvedId('neighbourhood crime')).toBe('priority:reduce-neighbourhood-crime');
    expect(resolvedId('what is neighbourhood crime')).toBe('glossary:neighbourhood-crime');
    expect(resolvedId('action fraud')).toBe('measure:action-fraud-offences');
    expect(resolvedId('define action fraud')).toBe('glossary:action-fraud');
  });

  it('answers a term that two measures share with its definition, which lists both, rather than pick one', () => {
    expect(resolvedId('cyber dependent crime')).toBe('glossary:cyber-dependent-crime');
    expect(resolvedId('rape conviction rate')).not.toBe('measure:rape-charge-rate');
  });

  it('does not take "what is the trend for …" as a request for a definition', () => {
    expect(resolvedId('what is the trend for robbery')).toBe('measure:robbery');
    expect(resolvedId('what is robbery')).toBe('measure:robbery');
  });

  it('offers a short ranked list when a query fits several measures', () => {
    const r = resolveQuery(store, 'theft');
    expect(r.kind).toBe('ambiguous');
    if (r.kind !== 'ambiguous') return;
    const ids = r.candidates.map((c) => c.id);
    expect(ids).toContain('vehicle-crime');
    expect(ids).toContain('theft-from-the-person');
    expect(ids.length).toBeLessThanOrEqual(5);
  });

  it('answers the only candidate rather than calling it "more than one thing"', () => {
    expect(resolvedId('house')).toBe('measure:burglary');
    expect(resolvedId('homes')).toBe('measure:burglary');
    expect(resolvedId('stolen')).toBe('measure:vehicle-crime');
    expect(resolvedId('street')).toBe('measure:robbery');
    // Two candidates are still a choice.
    expect(resolvedId('house break ins')).toBe('ambiguous:burglary,vehicle-crime');
  });

  it('never offers an ambiguity of one, for any word of any title or alias', () => {
    const words = new Set(
      [
        ...store.priorities.flatMap((p) => [
          p.title,
          ...p.aliases,
          ...p.measures.flatMap((m) => [m.title, ...m.aliases]),
        ]),
        ...store.glossary.flatMap((g) => [g.term, ...g.aliases]),
      ].flatMap((t) =>
        t
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean),
      ),
    );
    const single = [...words].filter((w) => {
      const r = resolveQuery(store, w);
      return r.kind === 'ambiguous' && r.candidates.length < 2;
    });
    expect(single).toEqual([]);
  });

  it('says so, with suggestions, when nothing matches, and never answers a wrong measure', () => {
    for (const q of ['parking fines', 'weather in bristol', 'zzzz', 'speeding', 'shoplifting']) {
      const r = resolveQuery(store, q);
      expect(r.kind, q).toBe('not-found');
      if (r.kind === 'not-found') expect(r.candidates.length, q).toBeGreaterThan(0);
    }
  });

  it('ignores the words around a measure that ask for its MSG position or rank', () => {
    expect(resolvedId('MSG position for robbery')).toBe('measure:robbery');
    expect(resolvedId('serious violence rank')).toBe('measure:serious-violence');
    expect(resolvedId('what is the MSG for burglary')).toBe('measure:burglary');
    expect(resolvedId('homicides per 1000')).toBe('measure:homicide');
    expect(resolvedId('robbery rank against peers')).toBe('measure:robbery');
  });

  it('never takes a real word for a typo of another ("rate" is not "rape" or "hate")', () => {
    expect(resolvedId('charge rate')).toBe('measure:rape-charge-rate');
    expect(resolveQuery(store, 'rate').kind).not.toBe('measure');
    expect(resolvedId('car crime rate')).not.toContain('hate-crime');
  });

  it('gives usage for empty text and help, and the list for "list"', () => {
    expect(resolveQuery(store, 'how are we doing?').kind).toBe('help');
    expect(resolveQuery(store, '').kind).toBe('help');
    expect(resolveQuery(store, '   ').kind).toBe('help');
    expect(resolveQuery(store, 'help').kind).toBe('help');
    expect(resolveQuery(store, 'list').kind).toBe('list');
  });
});

// Matching costs grow with the length of the text and of each word (a 50,000-character word
// took seconds), and one question must not hold up everyone else's: past 500 characters a
// question is refused unread, and within it no word is matched beyond 40 characters.
describe('questions too long to read', () => {
  it('refuses a question over 500 characters without matching it, saying how long it was', () => {
    expect(resolveQuery(store, 'x'.repeat(50_000))).toEqual({
      kind: 'not-found',
      candidates: [],
      tooLong: { chars: 50_000, limit: 500 },
    });
    expect(resolveQuery(store, `robbery ${'and burglary '.repeat(100)}`)).toMatchObject({
      kind: 'not-found',
      tooLong: { limit: MAX_QUESTION_CHARS },
    });
  });

  it('still answers a question of exactly 500 characters, and does not count the spaces around it', () => {
    const question = `${'please '.repeat(70)}robbery!!!`;
    expect(question).toHaveLength(500);
    expect(resolvedId(question)).toBe('measure:robbery');
    expect(resolvedId(`   robbery${' '.repeat(5000)}`)).toBe('measure:robbery');
  });

  it('matches at most the first 40 characters of a word', () => {
    const tokens = contentTokens(`${'q'.repeat(450)} robbery`);
    expect(tokens).toEqual(['q'.repeat(MAX_WORD_CHARS), 'robbery']);
    expect(resolveQuery(store, 'r'.repeat(499)).kind).toBe('not-found');
  });
});
