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
{{- with .appId }}
- name: GITHUB_APP_ID
  value: {{ . | toString | quote }}
{{- end }}
{{- with .appInstallationId }}
- name: GITHUB_APP_INSTALLATION_ID
  value: {{ . | toString | quote }}
{{- end }}
{{- end }}
{{- /* Hook management needs credentials (a token or the App key); the URL defaults to the Ingress address. */}}
{{- if or (has "GITHUB_ACCESS_TOKEN" $keys) (has "GITHUB_APP_PRIVATE_KEY" $keys) }}
- name: GITHUB_WEBHOOK_URL
  value: {{ default (include "tributary.webhookUrl" .) .Values.github.webhookUrl | quote }}
{{- end }}
{{- end }}

{{- /* The pre-delete Job (tributary.webhookCleanup) removes the hook on helm uninstall. */}}
{{- define "adapter.managesWebhook" -}}
{{- $keys := include "tributary.secretKeys" . | fromJsonArray -}}
{{- and .Values.github.deleteWebhookOnUninstall (or (has "GITHUB_ACCESS_TOKEN" $keys) (has "GITHUB_APP_PRIVATE_KEY" $keys)) -}}
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
{{- $token := eq (include "tributary.hasSecret" (set $secret "key" "GITHUB_ACCESS_TOKEN")) "true" }}
{{- $appKey := eq (include "tributary.hasSecret" (set $secret "key" "GITHUB_APP_PRIVATE_KEY")) "true" }}
{{- if or $token $appKey }}
{{- $credential := ternary "GITHUB_ACCESS_TOKEN" "GITHUB_APP_PRIVATE_KEY" $token }}
{{- if not (or .Values.github.webhookUrl .Values.ingress.enabled) }}
- "github.webhookUrl: {{ $credential }} makes the adapter manage the hook, which needs this endpoint's public URL: set github.webhookUrl or enable the Ingress"
{{- end }}
{{- if not .Values.github.ownerRepo }}
- "github.ownerRepo: {{ $credential }} makes the adapter manage the hook: name the repos or orgs to install it on"
{{- end }}
{{- end }}
{{- if and $token $appKey }}
- "secret: GITHUB_ACCESS_TOKEN or GITHUB_APP_PRIVATE_KEY, not both: the hook is managed with a token or as a GitHub App"
{{- end }}
{{- if and $appKey (not (and .Values.github.appId .Values.github.appInstallationId)) }}
- "github.appId and github.appInstallationId: GITHUB_APP_PRIVATE_KEY authenticates as a GitHub App, which also needs the App ID and the installation id"
{{- end }}
{{- if and (or .Values.github.appId .Values.github.appInstallationId) (not $appKey) }}
- "secret.values.GITHUB_APP_PRIVATE_KEY (or an existing Secret holding it): github.appId authenticates as a GitHub App, which needs the App's private key"
{{- end }}
{{- end }}
