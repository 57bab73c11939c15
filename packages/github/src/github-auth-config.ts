import { createPrivateKey } from 'node:crypto';
import type { Env } from '@tributary/core';

/**
 * How the adapter authenticates to the GitHub API for hook management: a token (classic or
 * fine-grained personal access token), or a GitHub App installation, whose short-lived tokens
 * are minted from the App's private key (`POST /app/installations/{id}/access_tokens`).
 */
export type GitHubAuth =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'app';
      /** The App ID (a number) or, as @octokit/auth-app also accepts, its client ID (`Iv…`). */
      readonly appId: string;
      /** PKCS#8 PEM (GitHub hands out PKCS#1; it is converted here, once). */
      readonly privateKey: string;
      readonly installationId: number;
    };

const APP_VARIABLES = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID'] as const;

/** GITHUB_ACCESS_TOKEN, or the three GITHUB_APP_* variables; undefined when neither is set. */
export function readGitHubAuth(env: Env): GitHubAuth | undefined {
  const token = env.secret('GITHUB_ACCESS_TOKEN');
  const app = readAppAuth(env);
  if (token !== undefined && app !== undefined) {
    env.problem(
      'GITHUB_ACCESS_TOKEN',
      `set either GITHUB_ACCESS_TOKEN or a GitHub App (${APP_VARIABLES.join(', ')}), not both`,
    );
  }
  if (token !== undefined) return { kind: 'token', token };
  return app;
}

function readAppAuth(env: Env): GitHubAuth | undefined {
  const appId = env.string('GITHUB_APP_ID');
  const pem = env.secret('GITHUB_APP_PRIVATE_KEY');
  const installation = env.string('GITHUB_APP_INSTALLATION_ID');
  if (appId === undefined && pem === undefined && installation === undefined) return undefined;
  const missing = APP_VARIABLES.filter((_, i) => [appId, pem, installation][i] === undefined);
  for (const name of missing)
    env.problem(
      name,
      `required for GitHub App authentication (${APP_VARIABLES.filter((v) => v !== name).join(' and ')} are set)`,
    );
  if (appId !== undefined && !/^[1-9]\d*$/.test(appId) && !/^Iv[0-9A-Za-z.]+$/.test(appId))
    env.problem(
      'GITHUB_APP_ID',
      `must be the App ID (a number) or its client ID (Iv…), got ${JSON.stringify(appId)}`,
    );
  if (installation !== undefined && !/^[1-9]\d*$/.test(installation))
    env.problem(
      'GITHUB_APP_INSTALLATION_ID',
      `must be the installation id (a number: the end of https://github.com/organizations/<org>/settings/installations/<id>), got ${JSON.stringify(installation)}`,
    );
  const privateKey = pem === undefined ? undefined : toPkcs8(env, pem);
  return {
    kind: 'app',
    appId: appId ?? '',
    privateKey: privateKey ?? '',
    installationId: Number(installation ?? 0),
  };
}

/**
 * The key as PKCS#8 PEM. GitHub's downloaded key is PKCS#1 (`BEGIN RSA PRIVATE KEY`), which the
 * JWT signer (WebCrypto) cannot import; a key pasted into an env variable often has literal `\n`.
 */
function toPkcs8(env: Env, pem: string): string | undefined {
  const text = pem.includes('\\n') && !pem.includes('\n') ? pem.replaceAll('\\n', '\n') : pem;
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType ?? 'non-RSA'} key`);
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (error) {
    // Never echo the value: it is a secret.
    env.problem(
      'GITHUB_APP_PRIVATE_KEY',
      `is not the App's RSA private key in PEM (the .pem file GitHub generates for the App): ${(error as Error).message.split('\n')[0]}`,
    );
    return undefined;
  }
}
