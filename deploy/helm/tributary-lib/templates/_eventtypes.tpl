{{/*
EventType objects (eventing.knative.dev), one per type the adapter emits, so consumers can
discover what they can subscribe to (the event registry). eventing.knative.dev/v1beta2 has
type/source/schema/description/reference fields; v1beta3 (Knative 1.14+) lists CloudEvent
attributes instead. The reference defaults to the sink when the sink is a Broker.
*/}}

{{- define "tributary.eventTypeReference" -}}
{{- $config := .Values.eventTypes | default dict -}}
{{- $ref := $config.reference | default dict -}}
{{- $sinkRef := include "tributary.sinkRef" . | fromYaml -}}
{{- if and (not $ref.name) (eq ($sinkRef.kind | default "") "Broker") -}}
{{- $ref = $sinkRef -}}
{{- end -}}
{{- if $ref.name -}}
{{- $out := dict "apiVersion" (default "eventing.knative.dev/v1" $ref.apiVersion) "kind" (default "Broker" $ref.kind) "name" $ref.name -}}
{{- with $ref.namespace }}{{ $_ := set $out "namespace" . }}{{ end -}}
{{- toYaml $out -}}
{{- end -}}
{{- end -}}

{{/*
What this release emits, as a JSON list: eventTypes.types when given, else the adapter's catalogue
(adapter.catalogue, generated from its Adapter.eventTypes) narrowed by adapter.eventTypeFilter: the
release's own filter values (GitHub/GitLab event lists, EventBridge type patterns, the SQS processor,
the ApiServerSource mode), each a case-insensitive pattern (* matches anything) compared with a
type's name and its selectedBy values. An empty filter lets every type through.
Knative reads registry.knative.dev/eventTypes from source CRDs only, never from instances, so the
registry gets EventType objects and no annotation.
*/}}
{{- define "tributary.selectedEventTypes" -}}
{{- $config := .Values.eventTypes | default dict -}}
{{- if $config.types -}}
{{- toJson $config.types -}}
{{- else -}}
{{- $filter := include "adapter.eventTypeFilter" . | fromJsonArray -}}
{{- $selected := list -}}
{{- range $entry := include "adapter.catalogue" . | fromJsonArray -}}
{{- $keep := not $filter -}}
{{- range $pattern := $filter -}}
{{- $regex := printf "(?i)^%s$" (regexQuoteMeta $pattern | replace "\\*" ".*") -}}
{{- range $key := prepend ($entry.selectedBy | default list) $entry.type -}}
{{- if regexMatch $regex $key }}{{ $keep = true }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if $keep }}{{ $selected = append $selected (omit $entry "selectedBy") }}{{ end -}}
{{- end -}}
{{- toJson $selected -}}
{{- end -}}
{{- end -}}

{{- define "tributary.eventTypes" -}}
{{- $config := .Values.eventTypes | default dict -}}
{{- if $config.enabled -}}
{{- $root := . -}}
{{- $fullname := include "tributary.fullname" . -}}
{{- $defaultSource := include "adapter.eventSource" . -}}
{{- $reference := include "tributary.eventTypeReference" . -}}
{{- range include "tributary.selectedEventTypes" . | fromJsonArray }}
{{- $source := default $defaultSource .source }}
{{- /* Types such as oss:ObjectCreated:PutObject are not DNS names: keep the readable part, add a hash. */}}
{{- $slug := regexReplaceAll "[^a-z0-9.-]+" (lower .type) "-" | trunc 40 | trimAll "-." }}
---
apiVersion: {{ $config.apiVersion }}
kind: EventType
metadata:
  name: {{ printf "%s-%s-%s" ($fullname | trunc 40 | trimSuffix "-") $slug (sha256sum .type | trunc 8) }}
  labels:
    {{- include "tributary.labels" $root | nindent 4 }}
spec:
  {{- if eq $config.apiVersion "eventing.knative.dev/v1beta3" }}
  attributes:
    - name: specversion
      value: "1.0"
      required: true
    - name: id
      required: true
    - name: type
      value: {{ .type | quote }}
      required: true
    - name: source
      {{- with $source }}
      value: {{ . | quote }}
      {{- end }}
      required: true
    {{- with .schema }}
    - name: dataschema
      value: {{ . | quote }}
      required: false
    {{- end }}
  {{- else }}
  type: {{ .type | quote }}
  {{- with $source }}
  source: {{ . | quote }}
  {{- end }}
  {{- with .schema }}
  schema: {{ . | quote }}
  {{- end }}
  {{- end }}
  {{- with .description }}
  description: {{ . | quote }}
  {{- end }}
  {{- with $reference }}
  reference:
    {{- . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}
{{- end -}}
