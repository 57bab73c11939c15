// The least each chart needs besides its defaults (--set form); without it the render fails
// naming the missing values. Charts not listed install with their defaults.
export const REQUIRED_VALUES: Readonly<Record<string, readonly string[]>> = {
  github: ['secret.values.GITHUB_SECRET_TOKEN=not-a-real-secret'],
  gitlab: [
    'secret.values.GITLAB_SECRET_TOKEN=not-a-real-secret',
    'gitlab.eventSource=https://gitlab.com/group/project',
  ],
  eventbridge: ['secret.values.EVENTBRIDGE_TOKEN=not-a-real-token'],
  sqs: ['sqs.queueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/orders'],
};
