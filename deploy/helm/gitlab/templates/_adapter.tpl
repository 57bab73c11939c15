{{- define "adapter.env" }}
{{- $keys := include "tributary.secretKeys" . | fromJsonArray }}
{{- with .Values.gitlab }}
{{- with .eventSource }}
- name: GITLAB_EVENT_SOURCE
  value: {{ . | quote }}
{{- end }}
{{- with .groupUrl }}
- name: GITLAB_GROUP_URL
  value: {{ . | quote }}
{{- end }}
{{- with .eventTypes }}
- name: GITLAB_EVENT_TYPES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .allowUnsigned }}
- name: GITLAB_ALLOW_UNSIGNED
  value: "true"
{{- end }}
- name: GITLAB_SSL_VERIFY
  value: {{ .sslVerify | toString | quote }}
{{- with .baseUrl }}
- name: GITLAB_BASE_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if has "GITLAB_ACCESS_TOKEN" $keys }}
{{- if not (or .Values.gitlab.webhookUrl .Values.ingress.enabled) }}
{{- fail "GITLAB_ACCESS_TOKEN makes the adapter manage the hook, which needs this endpoint's public URL: set gitlab.webhookUrl or enable the Ingress" }}
{{- end }}
- name: GITLAB_WEBHOOK_URL
  value: {{ default (include "tributary.webhookUrl" .) .Values.gitlab.webhookUrl | quote }}
{{- if .Values.gitlab.deleteWebhookOnExit }}
- name: GITLAB_DELETE_WEBHOOK_ON_EXIT
  value: "true"
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* Knative's spec.projectUrl (or the group URL for a group hook). */}}
{{- define "adapter.eventSource" -}}
{{- default .Values.gitlab.groupUrl .Values.gitlab.eventSource -}}
{{- end }}
