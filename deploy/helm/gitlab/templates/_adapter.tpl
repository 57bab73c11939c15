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
- name: GITLAB_WEBHOOK_URL
  value: {{ default (include "tributary.webhookUrl" .) .Values.gitlab.webhookUrl | quote }}
{{- end }}
{{- end }}

{{- /* The pre-delete Job (tributary.webhookCleanup) removes the hook on helm uninstall. */}}
{{- define "adapter.managesWebhook" -}}
{{- and .Values.gitlab.deleteWebhookOnUninstall (has "GITLAB_ACCESS_TOKEN" (include "tributary.secretKeys" . | fromJsonArray)) -}}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* Knative's spec.projectUrl (or the group URL for a group hook). */}}
{{- define "adapter.eventSource" -}}
{{- default .Values.gitlab.groupUrl .Values.gitlab.eventSource -}}
{{- end }}

{{- /* GITLAB_EVENT_TYPES: type suffixes or hook flags; empty forwards every event. */}}
{{- define "adapter.eventTypeFilter" }}{{ .Values.gitlab.eventTypes | default list | toJson }}{{ end }}

{{- define "adapter.requirements" }}
{{- $secret := dict "root" . -}}
{{- if and (not .Values.gitlab.allowUnsigned) (ne (include "tributary.hasSecret" (set $secret "key" "GITLAB_SECRET_TOKEN")) "true") }}
- "secret.values.GITLAB_SECRET_TOKEN (or an existing Secret holding it): the token GitLab sends in X-Gitlab-Token; gitlab.allowUnsigned=true accepts deliveries without one"
{{- end }}
{{- if not (or .Values.gitlab.eventSource .Values.gitlab.groupUrl) }}
- "gitlab.eventSource: the project URL (Knative's spec.projectUrl), the source of the events; or gitlab.groupUrl for a group hook"
{{- end }}
{{- if and (eq (include "tributary.hasSecret" (set $secret "key" "GITLAB_ACCESS_TOKEN")) "true") (not (or .Values.gitlab.webhookUrl .Values.ingress.enabled)) }}
- "gitlab.webhookUrl: GITLAB_ACCESS_TOKEN makes the adapter manage the hook, which needs this endpoint's public URL: set gitlab.webhookUrl or enable the Ingress"
{{- end }}
{{- end }}
