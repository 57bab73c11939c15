{{/*
OIDC sender identity (Knative Eventing's authentication-oidc feature), in the three binding modes:
  sinkbinding, containersource  Knative's SinkBinding projects a token for the sink's audience at
                                /oidc/token but injects no K_AUDIENCE (knative/eventing v1.16,
                                pkg/apis/sources/v1/sinkbinding_lifecycle.go): the adapter sends that
                                token whenever the file exists. sink.audience goes into the
                                Destination; nothing else to do.
  direct, or oidc.tokenRequest  nothing mounts a token: the chart sets K_AUDIENCE (sink.audience) and
                                K_OIDC_SERVICE_ACCOUNT, and the adapter asks the Kubernetes
                                TokenRequest API for that ServiceAccount's tokens, as Knative's own
                                adapters do (knative/eventing v1.16, pkg/auth/token_provider.go). The
                                chart makes the ServiceAccount (unless oidc.serviceAccountName names
                                one) and grants the pod's own ServiceAccount create on exactly its
                                serviceaccounts/token subresource.
*/}}

{{/* "true" when the adapter requests its tokens itself (TokenRequest path). */}}
{{- define "tributary.oidcTokenRequest" -}}
{{- /* A multi-tenant adapter takes each source's audience and identity from its object. */ -}}
{{- if and (eq (include "tributary.isSource" .) "true") (ne (include "tributary.multiTenant" .) "true") -}}
{{- $oidc := .Values.oidc | default dict -}}
{{- $audience := (.Values.sink | default dict).audience -}}
{{- or $oidc.tokenRequest (and $audience (eq .Values.binding.mode "direct")) -}}
{{- else -}}
false
{{- end -}}
{{- end -}}

{{/* The ServiceAccount the tokens identify: oidc.serviceAccountName, else <fullname>-oidc (made by the chart). */}}
{{- define "tributary.oidcServiceAccountName" -}}
{{- default (printf "%s-oidc" (include "tributary.fullname" . | trunc 47 | trimSuffix "-")) (.Values.oidc | default dict).serviceAccountName -}}
{{- end -}}

{{- define "tributary.oidcEnv" -}}
{{- if eq (include "tributary.oidcTokenRequest" .) "true" }}
- name: K_AUDIENCE
  value: {{ .Values.sink.audience | quote }}
- name: K_OIDC_SERVICE_ACCOUNT
  value: {{ include "tributary.oidcServiceAccountName" . | quote }}
{{- end }}
{{- end -}}

{{- define "tributary.oidcRbac" -}}
{{- if eq (include "tributary.oidcTokenRequest" .) "true" -}}
{{- $account := include "tributary.oidcServiceAccountName" . -}}
{{- $name := printf "%s-oidc-token" (include "tributary.fullname" . | trunc 41 | trimSuffix "-") -}}
{{- if not (.Values.oidc | default dict).serviceAccountName }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $account }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
{{- /* An identity only: no pod runs as it. */}}
automountServiceAccountToken: false
---
{{- end }}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
rules:
  {{- /* POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token, for this one account. */}}
  - apiGroups: [""]
    resources: [serviceaccounts/token]
    resourceNames: [{{ $account }}]
    verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "tributary.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end -}}
{{- end -}}
