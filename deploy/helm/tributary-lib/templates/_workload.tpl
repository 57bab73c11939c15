{{/*
The three binding modes (values: binding.mode):
  sinkbinding      a Deployment plus a SinkBinding whose webhook injects K_SINK and K_CE_OVERRIDES
  containersource  a ContainerSource; Knative makes the Deployment and the SinkBinding
  direct           a Deployment with K_SINK set by the chart, for clusters without Knative Eventing
A chart without a sink (the display sink) always gets a plain Deployment. A multi-tenant adapter
(tributary.multiTenant: source objects that name their own sinks) gets a plain Deployment too, in
mode `multitenant`: no binding, no K_SINK, no NAME.
*/}}

{{- define "tributary.mode" -}}
{{- if eq (include "tributary.multiTenant" .) "true" -}}multitenant
{{- else if eq (include "tributary.isSource" .) "true" -}}{{ .Values.binding.mode }}
{{- else -}}direct{{- end -}}
{{- end -}}

{{/*
"true" when the adapter serves source objects of the cluster that name their own sinks (ping's
multiTenant value: Knative's pingsource-mt-adapter), so binding and sink do not apply. A chart opts
in by having a `multiTenant: {enabled: false}` value.
*/}}
{{- define "tributary.multiTenant" -}}
{{- if (.Values.multiTenant | default dict).enabled }}true{{ else }}false{{ end -}}
{{- end -}}

{{- define "tributary.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
spec:
  {{- /* KEDA or the HorizontalPodAutoscaler owns the replica count when enabled. */}}
  {{- if not (or (.Values.keda | default dict).enabled (.Values.autoscaling | default dict).enabled) }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "tributary.selectorLabels" . | nindent 6 }}
  template:
    {{- include "tributary.podTemplate" . | nindent 4 }}
{{- end -}}

{{- define "tributary.sinkbinding" -}}
apiVersion: sources.knative.dev/v1
kind: SinkBinding
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
spec:
  subject:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "tributary.fullname" . }}
  sink:
    {{- include "tributary.destination" . | nindent 4 }}
  {{- with include "tributary.ceOverrides" . }}
  ceOverrides:
    {{- . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "tributary.containersource" -}}
apiVersion: sources.knative.dev/v1
kind: ContainerSource
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
spec:
  template:
    {{- include "tributary.podTemplate" . | nindent 4 }}
  sink:
    {{- include "tributary.destination" . | nindent 4 }}
  {{- with include "tributary.ceOverrides" . }}
  ceOverrides:
    {{- . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "tributary.serviceaccount" -}}
{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "tributary.serviceAccountName" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
  {{- $annotations := .Values.serviceAccount.annotations | default dict }}
  {{- /* IAM roles for service accounts (EKS): the pod assumes this role. */}}
  {{- with (.Values.aws | default dict).roleArn }}
  {{- $annotations = merge (dict "eks.amazonaws.com/role-arn" .) $annotations }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ include "tributary.automountToken" . }}
{{- end -}}
{{- end -}}

{{- define "tributary.secret" -}}
{{- $keys := include "tributary.ownSecretKeys" . | fromJsonArray -}}
{{- if $keys -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
type: Opaque
stringData:
  {{- range $key := $keys }}
  {{ $key }}: {{ get $.Values.secret.values $key | toString | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{- define "tributary.service" -}}
{{- if (.Values.service | default dict).enabled -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "tributary.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
    - name: metrics
      port: 9090
      targetPort: metrics
      protocol: TCP
{{- end -}}
{{- end -}}

{{- define "tributary.ingress" -}}
{{- $ingress := .Values.ingress | default dict -}}
{{- if $ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "tributary.fullname" . }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
  {{- with $ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with $ingress.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    - host: {{ $ingress.host | quote }}
      http:
        paths:
          - path: {{ $ingress.path }}
            pathType: {{ $ingress.pathType }}
            backend:
              service:
                name: {{ include "tributary.fullname" . }}
                port:
                  name: http
{{- end -}}
{{- end -}}

{{/* The URL a webhook sender (GitHub, GitLab, EventBridge) must be given. */}}
{{- define "tributary.webhookUrl" -}}
{{- $ingress := .Values.ingress | default dict -}}
{{- if $ingress.enabled -}}
{{- printf "%s://%s%s" (ternary "https" "http" (not (empty $ingress.tls))) $ingress.host $ingress.path -}}
{{- else -}}
{{- printf "http://%s.%s.svc.cluster.local:%d/" (include "tributary.fullname" .) .Release.Namespace (int .Values.service.port) -}}
{{- end -}}
{{- end -}}
