/**
 * The presets `verify --preset NAME` knows, each with its options as flags. Adding a preset is one line:
 * its name, its preset function, and its options, each written `name` (a string), `name*` (a list: repeat
 * the flag) or `name?` (a boolean: `--name true|false`). Flags are the options in kebab-case
 * (`tenantId` → `--tenant-id`). The preset function validates the values itself.
 * `openiddict` takes no decryption keys here: it judges OpenIddict's signed tokens (its encrypted ones need
 * the API's private key, which has no place on a command line).
 */
import { auth0 } from '../../profiles/auth0/preset.js';
import { azureAdB2C } from '../../profiles/b2c/preset.js';
import { cognito } from '../../profiles/cognito/preset.js';
import { entraId } from '../../profiles/entra/preset.js';
import { keycloak } from '../../profiles/keycloak/preset.js';
import { okta } from '../../profiles/okta/preset.js';
import { openIddict } from '../../profiles/openiddict/preset.js';
import { rfc9068 } from '../../profiles/rfc9068/preset.js';
import type { PresetOptions } from '../../verify/verifier-options.js';

/** The kind of one preset option on the command line. */
export type PresetOptionKind = 'string' | 'list' | 'boolean';

/** A preset as the command line sees it. */
export interface CliPreset {
  /** Builds the verifier options; throws a `TypeError` naming a bad option. */
  readonly build: (options: Readonly<Record<string, unknown>>) => PresetOptions;
  /** Its options by name (camelCase), each with its kind. */
  readonly options: Readonly<Record<string, PresetOptionKind>>;
}

/** A preset from its function and its options written `name`, `name*` or `name?`. */
function preset<T>(build: (options: T) => PresetOptions, spec: string): CliPreset {
  const options: Record<string, PresetOptionKind> = {};
  for (const word of spec.split(' ')) {
    const kind = word.endsWith('*') ? 'list' : word.endsWith('?') ? 'boolean' : 'string';
    options[kind === 'string' ? word : word.slice(0, -1)] = kind;
  }
  return { build: build as CliPreset['build'], options };
}

/** Every preset by its `--preset` name. */
export const CLI_PRESETS: Readonly<Record<string, CliPreset>> = {
  entra: preset(entraId, 'tenantId clientId appIdUri* acceptV1? allowedTenants* allowedClientIds* appSigningKeys? authorityHost v1IssuerHost'),
  b2c: preset(azureAdB2C, 'tenantName tenantId policy clientId allowedClientIds*'),
  auth0: preset(auth0, 'domain audience* rolesClaim'),
  okta: preset(okta, 'issuer audience*'),
  keycloak: preset(keycloak, 'url realm audience* clientRoles*'),
  cognito: preset(cognito, 'region userPoolId clientIds*'),
  rfc9068: preset(rfc9068, 'issuer* audience* jwksUri'),
  openiddict: preset(openIddict, 'issuer audience* jwksUri'),
};

/** `tenantId` → `tenant-id`. */
export function toFlag(option: string): string {
  return option.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The help of each preset and its flags, wrapped: `entra      --tenant-id V --client-id V --app-id-uri V... …`. */
export function presetHelpLines(width = 76): string[] {
  const lines: string[] = [];
  for (const [name, preset] of Object.entries(CLI_PRESETS)) {
    let line = name.padEnd(11);
    for (const [option, kind] of Object.entries(preset.options)) {
      const flag = `--${toFlag(option)} ${kind === 'boolean' ? 'true|false' : kind === 'list' ? 'V...' : 'V'}`;
      if (line.trim() !== name && line.length + flag.length + 1 > width) {
        lines.push(line.trimEnd());
        line = ' '.repeat(11);
      }
      line += `${flag} `;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
