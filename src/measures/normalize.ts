// Turns free text into comparable tokens: case, punctuation, plurals and US spellings
// stop mattering, and the words of a question ("how are we doing on …") drop out.

const US_TO_UK: Record<string, string> = {
  neighborhood: 'neighbourhood',
  neighborhoods: 'neighbourhoods',
  offense: 'offence',
  offenses: 'offences',
  defense: 'defence',
  program: 'programme',
  programs: 'programmes',
  center: 'centre',
  focused: 'focussed',
  focus: 'focus',
  dependant: 'dependent',
  analyze: 'analyse',
  jewelry: 'jewellery',
  favor: 'favour',
  behavior: 'behaviour',
  labor: 'labour',
  organized: 'organised',
  cybercrime: 'cyber crime',
  cybercrimes: 'cyber crimes',
  breakin: 'break in',
  breakins: 'break ins',
  pickpocketing: 'pick pocketing',
  pickpockets: 'pick pockets',
  pickpocket: 'pick pocket',
};

/**
 * Words that carry no meaning for finding a measure. "rate", "volume", "number" and
 * "crime" stay: they tell measures apart ("charge rate" against "charge volumes").
 */
const STOPWORDS = new Set(
  `a an the of for on in at to with about from by and or is are was were be been am do does did doing done
   how what whats which who why when where whereabouts show tell give get me us we our ours i my you your it its
   this that these those there their they them please pls plz can could would should will let lets
   trend trends trending latest current currently now today recent recently status update updates performance
   figures figure stats statistics stat data numbers info information report reporting looking look like going
   doing performing any some much many so far quarter year month number week weekly monthly
   january february march april june july august september october november december
   jan feb mar apr jun jul aug sep sept oct nov dec
   asp avon somerset force forces constabulary police recorded offences offence
   msg peer peers position positions rank ranking ranked benchmark benchmarks
   compare compared comparison versus vs against
   per thousand capita population residents`.split(/\s+/),
);

/** Phrases that mark a request for a definition rather than figures. */
const DEFINITION_PATTERNS = [
  /^(?:what|whats|who|whos)\s+(?:(?:is|are|was|does|do)\s+)?(?:(?:a|an|the)\s+)?(.+?)\s*(?:mean|means|stand for|stands for)?$/,
  /^(?:define|definition of|definition|meaning of|explain|glossary)\s+(?:(?:a|an|the)\s+)?(.+)$/,
  /^(.+?)\s+(?:definition|meaning)$/,
];

/** Only these openings make a query a definition request; "what is the trend for robbery" is not one. */
const DEFINITION_OPENING =
  /^(?:what\s+(?:is|are|does|do)|whats|who\s+(?:is|are)|whos|define|definition|meaning of|explain|glossary)\b|(?:\bmean|\bmeans|stand for|stands for|definition|meaning)$/;

/**
 * Longer questions are refused before any matching. No officer's question is this long, and
 * the matching's cost grows with the length of the text (and of each word), so a pasted
 * document would hold up every other officer's question.
 */
export const MAX_QUESTION_CHARS = 500;
/** No word of any title, alias or term comes near this; a longer word is cut to it before matching. */
export const MAX_WORD_CHARS = 40;

/** Cuts every word to MAX_WORD_CHARS: beyond that a word matches nothing, and costs more the longer it is. */
export function capWords(words: string[]): string[] {
  return words.map((w) => (w.length > MAX_WORD_CHARS ? w.slice(0, MAX_WORD_CHARS) : w));
}

export function basicNormalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&amp;/g, ' and ')
    .replace(/&/g, ' and ')
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** A light stemmer: enough to fold plurals and -ing forms that officers type. */
export function stem(word: string): string {
  const uk = US_TO_UK[word];
  if (uk && !uk.includes(' ')) word = uk;
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:ches|shes|xes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  return word;
}

function expandSpellings(normalized: string): string {
  return normalized
    .split(' ')
    .map((w) => (US_TO_UK[w]?.includes(' ') ? US_TO_UK[w]! : w))
    .join(' ');
}

/** Content tokens of a phrase, stemmed, in order. */
export function contentTokens(text: string): string[] {
  const words = capWords(expandSpellings(basicNormalize(text)).split(' ').filter(Boolean));
  return words
    .filter((w) => !STOPWORDS.has(w) && !/^\d+$/.test(w))
    .map(stem)
    .filter((w) => !STOPWORDS.has(w));
}

/** Every token, stemmed, stopwords kept: used to compare whole phrases exactly. */
export function allTokens(text: string): string[] {
  return capWords(expandSpellings(basicNormalize(text)).split(' ').filter(Boolean)).map(stem);
}

/** If the query asks what something is, returns the thing asked about. */
export function definitionSubject(text: string): string | null {
  const q = basicNormalize(text);
  if (!DEFINITION_OPENING.test(q)) return null;
  for (const pattern of DEFINITION_PATTERNS) {
    const m = q.match(pattern);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("robebry"). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many typos a word of this length may carry and still count as the same word. */
export function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}
