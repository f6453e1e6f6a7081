/** Every issuer family, by the name the `profile` option takes. */
import type { IssuerFamily, IssuerProfile } from '../verify/issuer-family.js';
import { auth0Family } from './auth0/family.js';
import { b2cFamily } from './b2c/family.js';
import { cognitoFamily } from './cognito/family.js';
import { entraFamily } from './entra/family.js';
import { genericFamily } from './generic/family.js';
import { keycloakFamily } from './keycloak/family.js';
import { oktaFamily } from './okta/family.js';
import { openIddictFamily } from './openiddict/family.js';
import { rfc9068Family } from './rfc9068/family.js';

/** The families, by name. */
export const FAMILIES: ReadonlyMap<IssuerProfile, IssuerFamily> = new Map(
  [
    genericFamily,
    entraFamily,
    auth0Family,
    oktaFamily,
    keycloakFamily,
    cognitoFamily,
    rfc9068Family,
    openIddictFamily,
    b2cFamily,
  ].map((family) => [family.name, family]),
);
