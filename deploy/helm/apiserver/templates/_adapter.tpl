{{- define "apiserver.namespaces" -}}
{{- default (list .Release.Namespace) .Values.apiserver.namespaces | uniq | toJson -}}
{{- end -}}

{{- /* Knative's K_SOURCE_CONFIG, as the ApiServerSource controller builds it. */}}
{{- define "apiserver.sourceConfig" -}}
{{- $resources := list -}}
{{- range .Values.apiserver.resources -}}
{{- $gvr := dict "Group" .group "Version" .version "Resource" .resource -}}
{{- $watch := dict "gvr" $gvr -}}
{{- with .selector }}{{ $_ := set $watch "selector" . }}{{ end -}}
{{- $resources = append $resources $watch -}}
{{- end -}}
{{- $config := dict "namespaces" (ternary list (include "apiserver.namespaces" . | fromJsonArray) .Values.apiserver.allNamespaces) "allNamespaces" .Values.apiserver.allNamespaces "resources" $resources "mode" .Values.apiserver.mode -}}
{{- with .Values.apiserver.owner -}}
{{- if .kind }}{{ $_ := set $config "owner" (dict "apiVersion" .apiVersion "kind" .kind) }}{{ end -}}
{{- end -}}
{{- toJson $config -}}
{{- end -}}

{{- define "adapter.env" }}
- name: K_SOURCE_CONFIG
  value: {{ include "apiserver.sourceConfig" . | quote }}
{{- if .Values.apiserver.sendInitial }}
- name: APISERVER_SEND_INITIAL
  value: "true"
{{- end }}
{{- /* LEADER_ELECTION and its Lease come from the library (tributary.leaderElectionEnv). */}}
{{- end }}

{{- define "adapter.volumes" }}{{ end }}
{{- define "adapter.volumeMounts" }}{{ end }}
{{- /* The API server URL the adapter connects to: known only in the pod. */}}
{{- define "adapter.eventSource" }}{{ end }}

{{- /* Reference or Resource mode: three types each. */}}
{{- define "adapter.eventTypeFilter" }}{{ list .Values.apiserver.mode | toJson }}{{ end }}

{{- define "adapter.requirements" }}[]{{ end }}
