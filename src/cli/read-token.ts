/**
 * Where a command's token comes from: standard input (the default), `--token-file F`, or the command-line
 * argument (which works, with a warning: the shell keeps it in its history). The input is trimmed; an
 * `Authorization: Bearer …` line, a `Bearer …` value or a JSON token response (`{"access_token": …}`) give
 * their token. Nothing read is ever echoed, not even in an error.
 */
import { readFile } from 'node:fs/promises';
import { UsageError, type CliInput } from './cli-io.js';

/** The most input read, in bytes: far more than any access token. */
const MAX_INPUT_BYTES = 1024 * 1024;

/** A token as read. */
export interface ReadToken {
  readonly token: string;
  /** Where it came from. */
  readonly source: 'stdin' | 'file' | 'argument';
  /** Warnings for standard error (a token given as an argument). */
  readonly warnings: readonly string[];
}

/** Where to read from. */
export interface TokenSources {
  readonly file: string | undefined;
  readonly argument: string | undefined;
  readonly stdin: CliInput;
}

async function readStdin(stdin: CliInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw new UsageError('the input is larger than 1 MiB: not a token');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readTokenFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`cannot read --token-file ${JSON.stringify(file)}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  if (bytes.length > MAX_INPUT_BYTES) throw new UsageError('the --token-file is larger than 1 MiB: not a token');
  return bytes.toString('utf8');
}

/** The token inside `input`: trimmed, without an `Authorization: Bearer` prefix, or a token response's `access_token`. */
export function unwrapToken(input: string): string {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const token = typeof parsed === 'object' && parsed !== null ? (parsed as { access_token?: unknown }).access_token : undefined;
      if (typeof token === 'string') return token.trim();
    } catch {
      // not JSON: judged as it is
    }
  }
  return text.replace(/^(authorization:[ \t]*)?bearer[ \t]+/i, '');
}

/** Reads the token from the one source given (standard input when neither a file nor an argument is). */
export async function readToken(sources: TokenSources): Promise<ReadToken> {
  const { file, argument, stdin } = sources;
  if (file !== undefined && argument !== undefined) throw new UsageError('give the token one way: --token-file or an argument, not both');
  let input: string;
  let source: ReadToken['source'];
  const warnings: string[] = [];
  if (file !== undefined) {
    input = await readTokenFile(file);
    source = 'file';
  } else if (argument !== undefined) {
    input = argument;
    source = 'argument';
    warnings.push('warning: a token given as an argument stays in your shell history; pipe it in or use --token-file');
  } else {
    if (stdin.isTTY === true) {
      throw new UsageError('no token: pipe one in (for example: pbpaste | bearer-guard inspect), or use --token-file F');
    }
    input = await readStdin(stdin);
    source = 'stdin';
  }
  const token = unwrapToken(input);
  if (token === '') throw new UsageError(`no token: the ${source === 'file' ? 'file' : source === 'stdin' ? 'input' : 'argument'} is empty`);
  return { token, source, warnings };
}
