{{/*
Where events go. Knative modes hand the sink to Knative as a Destination (duck/v1: ref, uri,
CACerts, audience), and Knative resolves it and injects K_SINK, K_CE_OVERRIDES, K_CA_CERTS and
K_AUDIENCE. Direct mode has no Knative to resolve anything, so it computes K_SINK itself.
*/}}

{{/* True when sink.uri is an absolute URL: then it is the whole sink and sink.ref is ignored
(Knative reads a uri next to a ref as relative to it, and rejects an absolute one). */}}
{{- define "tributary.absoluteUri" -}}
{{- regexMatch "^[a-zA-Z][a-zA-Z0-9+.-]*://" ((.Values.sink | default dict).uri | default "") -}}
{{- end -}}

{{/* sink.ref as it takes effect (a dict, possibly empty), as YAML. */}}
{{- define "tributary.sinkRef" -}}
{{- $ref := (.Values.sink | default dict).ref | default dict -}}
{{- if and $ref.name (ne (include "tributary.absoluteUri" .) "true") -}}
{{- toYaml $ref -}}
{{- else -}}
{}
{{- end -}}
{{- end -}}

{{- define "tributary.destination" -}}
{{- $sink := .Values.sink -}}
{{- $ref := include "tributary.sinkRef" . | fromYaml -}}
{{- $dest := dict -}}
{{- if $ref.name -}}
{{- $r := dict "apiVersion" $ref.apiVersion "kind" $ref.kind "name" $ref.name -}}
{{- with $ref.namespace }}{{ $_ := set $r "namespace" . }}{{ end -}}
{{- $_ := set $dest "ref" $r -}}
{{- end -}}
{{- with $sink.uri }}{{ $_ := set $dest "uri" . }}{{ end -}}
{{- with $sink.caCerts }}{{ $_ := set $dest "CACerts" . }}{{ end -}}
{{- with $sink.audience }}{{ $_ := set $dest "audience" . }}{{ end -}}
{{- toYaml $dest -}}
{{- end -}}

{{/* K_SINK for direct mode: the uri, or a Kubernetes Service's cluster address (plus the uri as a path). */}}
{{- define "tributary.directSinkUrl" -}}
{{- $sink := .Values.sink -}}
{{- $ref := include "tributary.sinkRef" . | fromYaml -}}
{{- if $ref.name -}}
{{- if ne $ref.kind "Service" -}}
{{- fail (printf "binding.mode=direct cannot resolve a %s: give sink.uri, or a sink.ref of kind Service" $ref.kind) -}}
{{- end -}}
{{- $base := printf "http://%s.%s.svc.cluster.local" $ref.name (default .Release.Namespace $ref.namespace) -}}
{{- if $sink.uri -}}
{{- printf "%s/%s" $base (trimPrefix "/" $sink.uri) -}}
{{- else -}}
{{- $base -}}
{{- end -}}
{{- else -}}
{{- $sink.uri -}}
{{- end -}}
{{- end -}}

{{/* The CloudEventOverrides object, or nothing when no extension is set. */}}
{{- define "tributary.ceOverrides" -}}
{{- with (.Values.ceOverrides | default dict).extensions -}}
{{- toYaml (dict "extensions" .) -}}
{{- end -}}
{{- end -}}
