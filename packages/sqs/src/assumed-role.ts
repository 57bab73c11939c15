import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { getDefaultRoleAssumer } from '@aws-sdk/nested-clients/sts';

type Credentials = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;

/** Assumed credentials are renewed this long before they expire (STS gives one hour by default). */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * TriggerMesh's `AWS_ASSUME_ROLE_ARN` (AWSSQSSource `spec.auth.credentials.assumeIamRole`): the
 * adapter calls STS AssumeRole with the SDK's default credentials (the access keys the reconciler
 * puts in env, or IRSA) and signs every SQS call with the role's temporary credentials, as the Go
 * adapter's `stscreds.NewCredentials` does. One AssumeRole at a time, renewed before expiry.
 * The STS endpoint follows the SDK's own settings (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`).
 */
export function assumedRoleCredentials(roleArn: string, region: string): () => Promise<Credentials> {
  const source = defaultProvider();
  const assume = getDefaultRoleAssumer({ region });
  let held: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  const fresh = (credentials: Credentials) =>
    credentials.expiration === undefined || credentials.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS;
  return () => {
    if (held !== undefined && fresh(held)) return Promise.resolve(held);
    // A failed AssumeRole is not cached: the next SQS call tries again.
    pending ??= source()
      .then((sourceCredentials) =>
        assume(sourceCredentials, { RoleArn: roleArn, RoleSessionName: `tributary-sqs-${Date.now()}` }),
      )
      .then((assumed) => (held = assumed))
      .finally(() => (pending = undefined));
    return pending;
  };
}
