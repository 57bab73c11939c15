{{/*
Values that cannot start the adapter fail the render, naming each value (the way the adapter
names each variable when it exits 78), instead of installing a pod that exits on start. Each
adapter chart defines adapter.requirements: a YAML list of "<value>: <what is missing>" strings,
empty when its values are complete. The schema checks types and shapes; this checks what the
adapter needs across values (a secret or an existing Secret, a queue, a project URL, ...).
*/}}
{{- define "tributary.requirements" -}}
{{- $problems := concat (include "tributary.operationsRequirements" . | fromYamlArray) (include "adapter.requirements" . | fromYamlArray) -}}
{{- if $problems -}}
{{- fail (printf "%s chart: these values cannot start the adapter (%d problem%s):\n  - %s" .Chart.Name (len $problems) (ternary "" "s" (eq (len $problems) 1)) (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}

{{/* "true" when the adapter will find <KEY> (or <KEY>_FILE) in its Secret. */}}
{{- define "tributary.hasSecret" -}}
{{- has .key (include "tributary.secretKeys" .root | fromJsonArray) -}}
{{- end -}}

{{/* What the opt-in operations need from the other values. */}}
{{- define "tributary.operationsRequirements" }}
{{- if and (.Values.serviceMonitor | default dict).enabled (not (.Values.service | default dict).enabled) }}
- "service.enabled: serviceMonitor.enabled scrapes through the chart's Service; enable it, or use podMonitor.enabled instead"
{{- end }}
{{- if and (.Values.oidc | default dict).tokenRequest (not (.Values.sink | default dict).audience) }}
- "sink.audience: oidc.tokenRequest requests tokens for the sink's OIDC audience; set it (the sink's status.address.audience)"
{{- end }}
{{- if and (eq (include "tributary.oidcTokenRequest" .) "true") (not .Values.serviceAccount.create) (not .Values.serviceAccount.name) }}
- "serviceAccount.create: OIDC tokens are requested with the pod's own ServiceAccount, which the chart grants create on serviceaccounts/token; set serviceAccount.create=true or serviceAccount.name"
{{- end }}
{{- if (.Values.autoscaling | default dict).enabled }}
{{- if eq (include "tributary.mode" .) "containersource" }}
- "autoscaling.enabled: a ContainerSource's Deployment belongs to Knative; use binding.mode=sinkbinding or direct"
{{- end }}
{{- if (.Values.keda | default dict).enabled }}
- "autoscaling.enabled: keda.enabled scales this Deployment already; enable one of them"
{{- end }}
{{- end }}
{{- end }}
