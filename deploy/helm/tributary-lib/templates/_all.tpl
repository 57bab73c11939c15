{{/*
Everything an adapter chart installs, in one include: an adapter chart's templates/resources.yaml
is `{{ include "tributary.all" . }}` plus what only that adapter needs (RBAC, KEDA, a ConfigMap).
Leader election (its env and Lease RBAC, _leaderelection.tpl) comes with a leaderElection value.
*/}}
{{- define "tributary.all" -}}
{{- include "tributary.requirements" . -}}
{{- $mode := include "tributary.mode" . -}}
{{- $docs := list (include "tributary.serviceaccount" .) (include "tributary.secret" .) -}}
{{- if eq $mode "containersource" -}}
{{- $docs = append $docs (include "tributary.containersource" .) -}}
{{- else -}}
{{- $docs = append $docs (include "tributary.deployment" .) -}}
{{- if eq $mode "sinkbinding" -}}
{{- $docs = append $docs (include "tributary.sinkbinding" .) -}}
{{- end -}}
{{- end -}}
{{- $docs = concat $docs (list (include "tributary.service" .) (include "tributary.ingress" .) (include "tributary.leaderElectionRbac" .) (include "tributary.oidcRbac" .)) -}}
{{- $docs = concat $docs (list (include "tributary.podDisruptionBudget" .) (include "tributary.autoscaler" .) (include "tributary.serviceMonitor" .) (include "tributary.podMonitor" .) (include "tributary.tests" .)) -}}
{{- range $docs }}
{{- if trim . }}
---
{{ trim . }}
{{- end }}
{{- end }}
{{- include "tributary.eventTypes" . }}
{{- end -}}

{{/* The part of NOTES.txt every adapter shares. */}}
{{- define "tributary.notes" -}}
{{- $mode := include "tributary.mode" . -}}
{{ .Chart.Name }} ({{ .Chart.Description }}) is installed as {{ include "tributary.fullname" . }} in namespace {{ .Release.Namespace }}.
{{- if eq (include "tributary.isSource" .) "true" }}
{{ if eq $mode "multitenant" }}
Multi-tenant: no binding; each source object is sent to the sink its status names.
{{- else if eq $mode "sinkbinding" }}
Binding: a Deployment plus the SinkBinding {{ include "tributary.fullname" . }}; Knative injects K_SINK and
K_CE_OVERRIDES into its pods. The SinkBinding webhook skips namespaces labelled
bindings.knative.dev/exclude=true (or, in inclusion mode, those without bindings.knative.dev/include=true).
  kubectl -n {{ .Release.Namespace }} get sinkbinding {{ include "tributary.fullname" . }}
{{- else if eq $mode "containersource" }}
Binding: the ContainerSource {{ include "tributary.fullname" . }}; Knative creates its Deployment and injects the sink.
  kubectl -n {{ .Release.Namespace }} get containersource {{ include "tributary.fullname" . }}
{{- else }}
Binding: direct (no Knative Eventing); events go to {{ include "tributary.directSinkUrl" . }}
{{- end }}
{{- if (.Values.eventTypes | default dict).enabled }}
EventTypes: kubectl -n {{ .Release.Namespace }} get eventtypes -l app.kubernetes.io/instance={{ .Release.Name }}
{{- end }}
{{- end }}
Logs:    kubectl -n {{ .Release.Namespace }} logs -l app.kubernetes.io/instance={{ .Release.Name }} -f
Metrics: port 9090, path /metrics (Prometheus).
{{- end -}}

{{/* NOTES for the adapters that receive webhooks. */}}
{{- define "tributary.webhookNotes" -}}
Webhook URL to register with the sender:
  {{ include "tributary.webhookUrl" . }}
{{- if not (.Values.ingress | default dict).enabled }}
That address is inside the cluster only. Enable the Ingress (ingress.enabled=true, ingress.host=...)
or expose the Service another way; to try it locally:
  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "tributary.fullname" . }} 8080:{{ .Values.service.port }}
{{- end }}
{{- end -}}
