/**
 * The demo's printed transcript: aligned label/value lines, a verdict per step, colour only on a terminal.
 */

/** Where and how the transcript is written. */
export interface TranscriptOptions {
  /** Writes one line (without its newline). */
  write: (line: string) => void;
  /** Use ANSI colours. */
  color: boolean;
}

const LABEL_WIDTH = 18;
const INDENT = '     ';

/** Whether to colour output written to `stream`: a terminal, unless NO_COLOR is set. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** A transcript writer. */
export class Transcript {
  readonly #write: (line: string) => void;
  readonly #color: boolean;

  constructor(options: TranscriptOptions) {
    this.#write = options.write;
    this.#color = options.color;
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  /** A plain line. */
  line(text = ''): void {
    this.#write(text);
  }

  /** The heading of the whole transcript. */
  title(text: string): void {
    this.#write(this.#paint('1', text));
  }

  /** The heading of step `n`. */
  step(n: number, title: string): void {
    this.#write('');
    this.#write(this.#paint('1', `${String(n).padStart(2)}.  ${title}`));
  }

  /** An aligned `label  value` line (continuation lines are aligned too). */
  field(label: string, value: string, indent = INDENT): void {
    const [first = '', ...rest] = value.split('\n');
    this.#write(`${indent}${this.#paint('2', label.padEnd(LABEL_WIDTH))}${first}`);
    for (const more of rest) this.#write(`${indent}${' '.repeat(LABEL_WIDTH)}${more}`);
  }

  /** A passed (✓) or failed (✗) mark followed by `text`. */
  mark(ok: boolean, text: string): string {
    return `${text}  ${ok ? this.#paint('32', '✓') : this.#paint('31', '✗')}`;
  }

  /** A problem line under a failed step. */
  problem(text: string): void {
    this.#write(`${INDENT}${this.#paint('31', `✗ ${text}`)}`);
  }

  /** The closing line. */
  summary(ok: boolean, text: string): void {
    this.#write('');
    this.#write(this.#paint(ok ? '32' : '31', `${ok ? '✓' : '✗'} ${text}`));
  }
}
