{{/*
The adapter's pod. Each adapter chart defines four templates the library calls:
  adapter.env           its own env entries (a YAML list, may be empty)
  adapter.volumes       extra pod volumes (may be empty)
  adapter.volumeMounts  their mounts (may be empty)
  adapter.eventSource   the CloudEvents `source` of what it emits, for EventTypes (may be empty)
*/}}

{{- define "tributary.secretDir" -}}/var/run/secrets/tributary{{- end -}}

{{/*
The secret files the adapter reads through <KEY>_FILE, as a JSON list of {variable, secret, key}:
each variable from secret.keyRefs (a key of any Secret, as a GitHubSource's secretKeyRef), else
from secret.existingSecret (a key named as the variable, listed in secret.keys), else from the
Secret this chart makes of secret.values.
*/}}
{{- define "tributary.secretFiles" -}}
{{- $secret := .Values.secret | default dict -}}
{{- $files := list -}}
{{- $taken := dict -}}
{{- range $variable, $ref := $secret.keyRefs | default dict -}}
{{- $files = append $files (dict "variable" $variable "secret" $ref.name "key" $ref.key) -}}
{{- $_ := set $taken $variable true -}}
{{- end -}}
{{- if $secret.existingSecret -}}
{{- range $secret.keys | default list -}}
{{- if not (hasKey $taken .) -}}
{{- $files = append $files (dict "variable" . "secret" $secret.existingSecret "key" .) -}}
{{- $_ := set $taken . true -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- range $variable, $value := $secret.values | default dict -}}
{{- if and $value (not (hasKey $taken $variable)) -}}
{{- $files = append $files (dict "variable" $variable "secret" (include "tributary.fullname" $) "key" $variable) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $files | toJson -}}
{{- end -}}

{{/* The variables of those files, sorted, as a JSON list: the adapter reads each through <KEY>_FILE. */}}
{{- define "tributary.secretKeys" -}}
{{- $keys := list -}}
{{- range include "tributary.secretFiles" . | fromJsonArray }}{{ $keys = append $keys .variable }}{{ end -}}
{{- $keys | sortAlpha | toJson -}}
{{- end -}}

{{/* The keys of secret.values this chart puts in its own Secret (those no keyRef replaces). */}}
{{- define "tributary.ownSecretKeys" -}}
{{- $keys := list -}}
{{- range include "tributary.secretFiles" . | fromJsonArray -}}
{{- if eq .secret (include "tributary.fullname" $) }}{{ $keys = append $keys .key }}{{ end -}}
{{- end -}}
{{- if (.Values.secret | default dict).existingSecret }}{{ $keys = list }}{{ end -}}
{{- $keys | toJson -}}
{{- end -}}

{{/* The variables the chart sets, before the user's env. */}}
{{- define "tributary.managedEnv" -}}
{{- $source := include "tributary.isSource" . | eq "true" -}}
{{- $multiTenant := include "tributary.multiTenant" . | eq "true" -}}
- name: NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- /* NAME identifies one source; a multi-tenant adapter serves many, each named by its object. */}}
{{- if not $multiTenant }}
- name: NAME
  value: {{ include "tributary.fullname" . | quote }}
{{- end }}
- name: PORT
  value: "8080"
- name: METRICS_PORT
  value: "9090"
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: SHUTDOWN_GRACE_PERIOD
  value: {{ printf "%ds" (int .Values.shutdownGracePeriodSeconds) | quote }}
{{- if $source }}
{{- with .Values.delivery }}
- name: K_SINK_TIMEOUT
  value: {{ .timeoutSeconds | toString | quote }}
- name: K_SINK_RETRY
  value: {{ .retry | toString | quote }}
- name: K_SINK_BACKOFF_POLICY
  value: {{ .backoffPolicy | quote }}
- name: K_SINK_BACKOFF_DELAY
  value: {{ .backoffDelay | quote }}
- name: K_SINK_MODE
  value: {{ .mode | quote }}
- name: K_SINK_CONCURRENCY
  value: {{ .concurrency | toString | quote }}
{{- end }}
{{- if eq (include "tributary.mode" .) "direct" }}
{{- /* Without Knative nothing injects these; with it, the SinkBinding does. */}}
- name: K_SINK
  value: {{ include "tributary.directSinkUrl" . | quote }}
{{- with (.Values.ceOverrides | default dict).extensions }}
- name: K_CE_OVERRIDES
  value: {{ dict "extensions" . | toJson | quote }}
{{- end }}
{{- with .Values.sink.caCerts }}
- name: K_CA_CERTS
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- include "tributary.oidcEnv" . }}
{{- include "adapter.env" . }}
{{- include "tributary.leaderElectionEnv" . }}
{{- range include "tributary.secretKeys" . | fromJsonArray }}
- name: {{ printf "%s_FILE" . }}
  value: {{ printf "%s/%s" (include "tributary.secretDir" $) . | quote }}
{{- end }}
{{- end -}}

{{/*
The container's env: the chart's variables, then the user's env (a value, or {valueFrom: ...}).
One entry per name: a later entry replaces an earlier one in place, so a user's variable overrides
the chart's instead of duplicating it (duplicate names are rejected by server-side apply and make
the kubelet's choice of value implicit).
*/}}
{{- define "tributary.env" -}}
{{- $entries := include "tributary.managedEnv" . | fromYamlArray -}}
{{- range $name, $value := .Values.env -}}
{{- if kindIs "map" $value -}}
{{- $entries = append $entries (dict "name" $name "valueFrom" $value.valueFrom) -}}
{{- else -}}
{{- $entries = append $entries (dict "name" $name "value" ($value | toString)) -}}
{{- end -}}
{{- end -}}
{{- $byName := dict -}}
{{- $order := list -}}
{{- range $entries -}}
{{- if not (hasKey $byName .name) }}{{ $order = append $order .name }}{{ end -}}
{{- $_ := set $byName .name . -}}
{{- end -}}
{{- $out := list -}}
{{- range $order }}{{ $out = append $out (get $byName .) }}{{ end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "tributary.container" -}}
name: {{ .Chart.Name }}
image: {{ include "tributary.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
env:
{{- include "tributary.env" . | nindent 2 }}
{{- with .Values.envFrom }}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end }}
ports:
  - name: http
    containerPort: 8080
    protocol: TCP
  - name: metrics
    containerPort: 9090
    protocol: TCP
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  failureThreshold: 2
resources:
  {{- toYaml .Values.resources | nindent 2 }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if include "tributary.secretKeys" . | fromJsonArray }}
  - name: secret
    mountPath: {{ include "tributary.secretDir" . }}
    readOnly: true
{{- end }}
{{- with include "adapter.volumeMounts" . }}
{{- . | nindent 2 }}
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The pod's `secret` volume (or nothing): the files of tributary.secretFiles, by Secret. */}}
{{- define "tributary.secretVolume" -}}
{{- with include "tributary.secretFiles" . | fromJsonArray }}
{{- /* One projected volume: the chart's Secret, an existing one and keyRefs into others, side by side. */}}
- name: secret
  projected:
    {{- /* 0440 (owner and group read; fsGroup 65532 makes the adapter the group), in decimal:
    YAML 1.2 parsers read a leading-zero 0440 as four hundred and forty. */}}
    defaultMode: 288
    sources:
    {{- $bySecret := dict }}
    {{- range . }}
    {{- $_ := set $bySecret .secret (append (get $bySecret .secret | default list) (dict "key" .key "path" .variable)) }}
    {{- end }}
    {{- range $name := keys $bySecret | sortAlpha }}
      - secret:
          name: {{ $name }}
          items:
            {{- toYaml (get $bySecret $name) | nindent 12 }}
    {{- end }}
{{- end }}
{{- end -}}

{{- define "tributary.podSpec" -}}
serviceAccountName: {{ include "tributary.serviceAccountName" . }}
automountServiceAccountToken: {{ include "tributary.automountToken" . }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- /* Kubernetes sends SIGTERM, waits this long, then SIGKILL: leave the adapter's drain 5 s to spare. */}}
terminationGracePeriodSeconds: {{ add (int .Values.shutdownGracePeriodSeconds) 5 }}
containers:
  - {{ include "tributary.container" . | indent 4 | trim }}
volumes:
  - name: tmp
    emptyDir:
      medium: Memory
      sizeLimit: 16Mi
{{- with include "tributary.secretVolume" . }}
{{- . | trim | nindent 2 }}
{{- end }}
{{- with include "adapter.volumes" . }}
{{- . | nindent 2 }}
{{- end }}
{{- with .Values.extraVolumes }}
{{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with include "tributary.topologySpread" . }}
topologySpreadConstraints:
  {{- . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{- define "tributary.podTemplate" -}}
metadata:
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    {{- /* A changed Secret must restart the pod: the adapter reads secrets once, at start. */}}
    checksum/secret: {{ .Values.secret | default dict | toJson | sha256sum }}
    {{- if .Values.metrics.scrapeAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: "9090"
    prometheus.io/path: /metrics
    {{- end }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- include "tributary.podSpec" . | nindent 2 }}
{{- end -}}
