{{- define "adapter.env" }}
{{- with .Values.eventbridge }}
{{- with .types }}
- name: EVENTBRIDGE_TYPES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .allowUnauthenticated }}
- name: EVENTBRIDGE_ALLOW_UNAUTHENTICATED
  value: "true"
{{- end }}
{{- with .targetUrl }}
- name: EVENTBRIDGE_TARGET_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* Pushed events keep their own source (acs.oss, aws.s3, ...): give one per type in eventTypes.types. */}}
{{- define "adapter.eventSource" }}{{ end }}

{{- /* EVENTBRIDGE_TYPES: types with * wildcards; empty forwards every type. */}}
{{- define "adapter.eventTypeFilter" }}{{ .Values.eventbridge.types | default list | toJson }}{{ end }}

{{- define "adapter.requirements" }}
{{- $secret := dict "root" . -}}
{{- $token := include "tributary.hasSecret" (set $secret "key" "EVENTBRIDGE_TOKEN") | eq "true" -}}
{{- $publicKey := include "tributary.hasSecret" (set $secret "key" "EVENTBRIDGE_PUBLIC_KEY") | eq "true" -}}
{{- if not (or $token $publicKey .Values.eventbridge.allowUnauthenticated) }}
- "secret.values.EVENTBRIDGE_TOKEN or secret.values.EVENTBRIDGE_PUBLIC_KEY (or an existing Secret holding one): how pushes are authenticated; eventbridge.allowUnauthenticated=true accepts anyone"
{{- end }}
{{- if and $publicKey (not .Values.eventbridge.targetUrl) }}
- "eventbridge.targetUrl: EVENTBRIDGE_PUBLIC_KEY checks signatures, which cover the target URL exactly as configured in EventBridge"
{{- end }}
{{- if and .Values.eventbridge.targetUrl (not $publicKey) }}
- "secret.values.EVENTBRIDGE_PUBLIC_KEY: eventbridge.targetUrl is only used to check signatures, with this certificate"
{{- end }}
{{- end }}
