{{- define "adapter.env" }}
{{- $keys := include "tributary.secretKeys" . | fromJsonArray }}
{{- with .Values.github }}
{{- with .ownerRepo }}
- name: GITHUB_OWNER_REPO
  value: {{ . | quote }}
{{- end }}
{{- with .url }}
- name: GITHUB_URL
  value: {{ . | quote }}
{{- end }}
{{- with .eventTypes }}
- name: GITHUB_EVENT_TYPES
  value: {{ join "," . | quote }}
{{- end }}
{{- if .allowUnsigned }}
- name: GITHUB_ALLOW_UNSIGNED
  value: "true"
{{- end }}
{{- with .apiUrl }}
- name: GITHUB_API_URL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- /* Hook management needs the access token; the URL defaults to the Ingress address. */}}
{{- if has "GITHUB_ACCESS_TOKEN" $keys }}
- name: GITHUB_WEBHOOK_URL
  value: {{ default (include "tributary.webhookUrl" .) .Values.github.webhookUrl | quote }}
{{- if .Values.github.deleteWebhookOnExit }}
- name: GITHUB_DELETE_WEBHOOK_ON_EXIT
  value: "true"
{{- end }}
{{- end }}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}

{{- /* https://github.com/<owner/repo> when exactly one repo or org is configured. */}}
{{- define "adapter.eventSource" -}}
{{- $targets := splitList "," .Values.github.ownerRepo | compact -}}
{{- if eq (len $targets) 1 -}}
{{- printf "%s/%s" (default "https://github.com" .Values.github.url | trimSuffix "/") (first $targets | trim) -}}
{{- end -}}
{{- end }}

{{- /* GITHUB_EVENT_TYPES: X-GitHub-Event names; empty forwards every event. */}}
{{- define "adapter.eventTypeFilter" }}{{ .Values.github.eventTypes | default list | toJson }}{{ end }}

{{- define "adapter.requirements" }}
{{- $secret := dict "root" . -}}
{{- if and (not .Values.github.allowUnsigned) (ne (include "tributary.hasSecret" (set $secret "key" "GITHUB_SECRET_TOKEN")) "true") }}
- "secret.values.GITHUB_SECRET_TOKEN (or an existing Secret holding it): the secret GitHub signs deliveries with; github.allowUnsigned=true accepts unsigned ones"
{{- end }}
{{- if eq (include "tributary.hasSecret" (set $secret "key" "GITHUB_ACCESS_TOKEN")) "true" }}
{{- if not (or .Values.github.webhookUrl .Values.ingress.enabled) }}
- "github.webhookUrl: GITHUB_ACCESS_TOKEN makes the adapter manage the hook, which needs this endpoint's public URL: set github.webhookUrl or enable the Ingress"
{{- end }}
{{- if not .Values.github.ownerRepo }}
- "github.ownerRepo: GITHUB_ACCESS_TOKEN makes the adapter manage the hook: name the repos or orgs to install it on"
{{- end }}
{{- end }}
{{- end }}
