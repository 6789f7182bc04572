// Cheat files come from outside (a navi repository, tldr pages, a JSON file someone shared): every dimension the
// library and the importers hold in memory is bounded, and what is left out is said, never silently dropped.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { CheatFileEntry } from './contract.ts';

export const cheatBounds = {
  /** One cheat file: a navi .cheat, a tldr .md, a user .json (real ones are a few kB; a whole navi repo in one file is ~200 kB). */
  fileBytes: 2 * 1024 * 1024,
  /** Cheats read from one file; the rest are skipped and counted. */
  cheatsPerFile: 500,
  /** One line of a navi or tldr file; a longer line is skipped (no parser pattern ever sees more). */
  lineChars: 4096,
  /** One cheat's template (a navi command may continue over a few lines). */
  templateChars: 8192,
  /** Placeholders in one cheat, and choices in one placeholder. */
  placeholdersPerCheat: 32,
  choicesPerPlaceholder: 256,
  /** Cheat files one import reads, and user cheat files the library loads. */
  filesPerImport: 2000,
  userFiles: 1000,
} as const;

const kB = (n: number) => `${Math.round(n / 1024)} kB`;

/** A cheat file's text, refused with a clear error when it is larger than the cap (read no further than the cap). */
export function readCheatFile(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > cheatBounds.fileBytes)
      throw new Error(`${file} is ${kB(size)}, larger than ${kB(cheatBounds.fileBytes)}, the most Lanyard reads of one cheat file.`);
    // The size can grow between stat and read: read at most one byte past the cap to tell.
    const buffer = Buffer.alloc(cheatBounds.fileBytes + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > cheatBounds.fileBytes)
      throw new Error(`${file} is larger than ${kB(cheatBounds.fileBytes)}, the most Lanyard reads of one cheat file.`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Why one cheat is over a bound; empty when it is within all of them. */
export function boundProblems(cheat: CheatFileEntry): string[] {
  const problems: string[] = [];
  if (cheat.template.length > cheatBounds.templateChars)
    problems.push(`${cheat.id}: the template is ${cheat.template.length} characters, more than ${cheatBounds.templateChars}`);
  if (cheat.placeholders.length > cheatBounds.placeholdersPerCheat)
    problems.push(`${cheat.id}: ${cheat.placeholders.length} placeholders, more than ${cheatBounds.placeholdersPerCheat}`);
  for (const p of cheat.placeholders) {
    if ((p.choices?.length ?? 0) > cheatBounds.choicesPerPlaceholder)
      problems.push(`${cheat.id}: ${p.name} has ${p.choices!.length} choices, more than ${cheatBounds.choicesPerPlaceholder}`);
  }
  return problems;
}

/** The first `cheatsPerFile` of a file's cheats, and a note counting the rest. */
export function firstCheats<T>(cheats: T[], problems: string[]): T[] {
  if (cheats.length <= cheatBounds.cheatsPerFile) return cheats;
  problems.push(
    `${cheats.length} cheats, more than ${cheatBounds.cheatsPerFile}: the last ${cheats.length - cheatBounds.cheatsPerFile} were skipped`,
  );
  return cheats.slice(0, cheatBounds.cheatsPerFile);
}

/**
 * A file's lines, those over `lineChars` left out and counted in a note: the parsers' patterns never see
 * a line longer than that. Lines are found with indexOf, never a regex.
 */
export function boundedLines(text: string, problems: string[]): string[] {
  const lines: string[] = [];
  let skipped = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    if (line.length > cheatBounds.lineChars) {
      skipped++;
      // An over-long line stands in as an empty one, so it ends whatever block it was in.
      lines.push('');
    } else lines.push(line);
    start = end + 1;
  }
  if (skipped > 0) problems.push(`${skipped} line${skipped === 1 ? '' : 's'} longer than ${cheatBounds.lineChars} characters skipped`);
  return lines;
}
