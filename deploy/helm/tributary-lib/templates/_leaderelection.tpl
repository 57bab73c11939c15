{{/*
Leader election, for the adapters that can run several replicas with one of them active (apiserver,
ping, heartbeat). A chart opts in by having a `leaderElection: {enabled: false}` value; it is on when
enabled, or automatically when replicaCount > 1. Then:
  tributary.leaderElectionEnv   LEADER_ELECTION=true, LEADER_ELECTION_LEASE_NAME=<fullname>, and
                                POD_NAME (the holder identity) unless the chart sets it already;
                                tributary.env adds these after the chart's adapter.env
  tributary.leaderElectionRbac  a Role + RoleBinding on exactly that Lease for the pod's
                                ServiceAccount; tributary.all renders it
and the pod mounts its service-account token (the adapter talks to the Kubernetes API).
*/}}

{{/* "true" or "false": always "false" for a chart without a leaderElection value. */}}
{{- define "tributary.leaderElectionEnabled" -}}
{{- if hasKey .Values "leaderElection" -}}
{{- or (.Values.leaderElection | default dict).enabled (gt (int .Values.replicaCount) 1) -}}
{{- else -}}
false
{{- end -}}
{{- end -}}

{{/* The Lease the replicas compete for: one per release. */}}
{{- define "tributary.leaseName" -}}
{{- include "tributary.fullname" . -}}
{{- end -}}

{{- define "tributary.leaderElectionEnv" -}}
{{- if eq (include "tributary.leaderElectionEnabled" .) "true" }}
- name: LEADER_ELECTION
  value: "true"
{{- /* The Lease tributary.leaderElectionRbac grants, by name. */}}
- name: LEADER_ELECTION_LEASE_NAME
  value: {{ include "tributary.leaseName" . | quote }}
{{- if not (or (regexMatch "(?m)^- name: POD_NAME$" (include "adapter.env" .)) (hasKey (.Values.env | default dict) "POD_NAME")) }}
{{- /* The holder identity: the pod's name, as kubectl shows it. */}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
{{- end }}
{{- end -}}

{{- define "tributary.leaderElectionRbac" -}}
{{- if eq (include "tributary.leaderElectionEnabled" .) "true" -}}
{{- $name := printf "%s-leader-election" (include "tributary.fullname" .) -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  labels:
    {{- include "tributary.labels" . | nindent 4 }}
rules:
  {{- /* create cannot be limited by name; everything else touches only this release's Lease. */}}
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [create]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    resourceNames: [{{ include "tributary.leaseName" . }}]
    verbs: [get, update, patch]
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

{{/* The pod needs its service-account token when the chart says so, when it elects a leader, when
it requests OIDC tokens (_oidc.tpl), or when it watches source objects (multi-tenant). */}}
{{- define "tributary.automountToken" -}}
{{- or .Values.serviceAccount.automountToken (eq (include "tributary.leaderElectionEnabled" .) "true") (eq (include "tributary.oidcTokenRequest" .) "true") (eq (include "tributary.multiTenant" .) "true") -}}
{{- end -}}
