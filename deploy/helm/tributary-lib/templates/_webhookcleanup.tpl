{{/*
`helm uninstall` removes the webhook the adapter registered: a pre-delete hook Job runs the adapter
image once with `--delete-webhook` and the adapter's own pod spec (env, Secret files, volumes,
security context), so it deletes exactly the hook the replicas kept in place, and exits 0 when it is
gone or was never there. Helm runs it before deleting the release's objects, so the Secret and the
ServiceAccount it uses still exist. The replicas never delete the hook when they stop (one replica
cannot know whether others remain). A Job that keeps failing fails the uninstall, loudly;
`helm uninstall --no-hooks` skips it.

An adapter chart opts in by defining "adapter.managesWebhook" ("true" when this release manages a
hook and its <adapter>.deleteWebhookOnUninstall is on) and appending this template to its resources.
*/}}

{{/* <fullname>-delete-webhook within the 52 characters every name of the release keeps to. */}}
{{- define "tributary.webhookCleanupName" -}}
{{- printf "%s-delete-webhook" (include "tributary.fullname" . | trunc 37 | trimSuffix "-") -}}
{{- end -}}

{{/* Never the selector labels: no Service, PDB, HPA or spread constraint may select the Job's pod. */}}
{{- define "tributary.webhookCleanupLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ printf "%s-delete-webhook" (include "tributary.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tributary
app.kubernetes.io/component: webhook-cleanup
{{- end -}}

{{- define "tributary.webhookCleanup" -}}
{{- if eq (include "adapter.managesWebhook" . | trim) "true" -}}
{{- $spec := include "tributary.podSpec" . | fromYaml -}}
{{- /* The adapter's container, run once: no ports or probes, the one-shot flag. */ -}}
{{- $container := omit (first $spec.containers) "ports" "livenessProbe" "readinessProbe" "startupProbe" -}}
{{- $_ := set $container "name" "delete-webhook" -}}
{{- $_ := set $container "args" (list "--delete-webhook") -}}
{{- $spec = omit $spec "topologySpreadConstraints" "containers" -}}
{{- $_ := set $spec "containers" (list $container) -}}
{{- $_ := set $spec "restartPolicy" "Never" }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "tributary.webhookCleanupName" . }}
  labels:
    {{- include "tributary.webhookCleanupLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-delete
    {{- /* A failed run stays for `kubectl logs` until the next uninstall attempt replaces it. */}}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  {{- /* The adapter retries the API itself (network errors, 5xx, 429); the Job adds two more runs. */}}
  backoffLimit: 2
  activeDeadlineSeconds: 300
  template:
    metadata:
      labels:
        {{- include "tributary.webhookCleanupLabels" . | nindent 8 }}
    spec:
      {{- toYaml $spec | nindent 6 }}
{{- end -}}
{{- end -}}
