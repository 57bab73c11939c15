import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Logger } from '@tributary/core';
import type { WebhookManagement } from './config.ts';

/**
 * The Octokit REST client for hook management: with a token, or as a GitHub App installation
 * (@octokit/auth-app mints an installation token from a JWT signed with the App's key, caches it
 * and mints a new one before it expires, through the same base URL: GitHub Enterprise works too).
 */
export function githubClient(management: WebhookManagement, logger: Logger): Octokit {
  const { auth } = management;
  return new Octokit({
    ...(auth.kind === 'token'
      ? { auth: auth.token }
      : {
          authStrategy: createAppAuth,
          auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
        }),
    baseUrl: management.apiUrl,
    userAgent: 'tributary-github',
    // Octokit logs every request (info) and every failed one (error); our own lines say what failed
    // and why, so its lines are debug detail. Its warnings (deprecations) stay warnings.
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
  });
}
