/**
 * Colours for the CLI's text output: only on a terminal, and never when `NO_COLOR` is set
 * (https://no-color.org: any non-empty value).
 */
import type { CliOutput } from './cli-io.js';

/** Whether to colour what is written to `out`. */
export function wantsColor(out: Pick<CliOutput, 'isTTY'>, env: Readonly<Record<string, string | undefined>>): boolean {
  return out.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** Paints text when colours are on; leaves it as it is otherwise. */
export class Style {
  readonly #on: boolean;

  constructor(on: boolean) {
    this.#on = on;
  }

  #paint(code: string, text: string): string {
    return this.#on ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  /** A heading. */
  bold(text: string): string {
    return this.#paint('1', text);
  }

  /** A label or a secondary note. */
  dim(text: string): string {
    return this.#paint('2', text);
  }

  /** Something that passed. */
  good(text: string): string {
    return this.#paint('32', text);
  }

  /** Something that failed. */
  bad(text: string): string {
    return this.#paint('31', text);
  }

  /** Something to look at. */
  warn(text: string): string {
    return this.#paint('33', text);
  }

  /** The mark of a check: ✓ passed, ✗ failed, · not made. */
  mark(passed: boolean | undefined): string {
    return passed === undefined ? this.dim('·') : passed ? this.good('✓') : this.bad('✗');
  }

  /** An aligned `label  value` line, continuation lines aligned under the value. */
  field(label: string, value: string, width = 18, indent = ''): string {
    const [first = '', ...rest] = value.split('\n');
    return [`${indent}${this.dim(label.padEnd(width))}${first}`, ...rest.map((line) => `${indent}${' '.repeat(width)}${line}`)].join('\n');
  }
}
