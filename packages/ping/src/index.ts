export { pingAdapter } from './adapter.ts';
export { readPingConfig, type PingConfig, type SingleSource, type SourcesFromFile } from './config.ts';
export { pingEvent, pingSourceUri, PING_TYPE, PING_EVENT_TYPES } from './to-cloudevent.ts';
export { parseSchedule, type PingSchedule, type ScheduleResult } from './schedule.ts';
export { buildPingSource, DEFAULT_SCHEDULE, type PingSource, type PingSourceInput, type SourceProblem } from './source.ts';
export { parseSourcesFile, sourceEntrySchema, type SourcesFile, type RejectedEntry } from './sources-file.ts';
export { CronScheduler, type ScheduledJob, type SchedulerOptions, type ReplaceResult } from './scheduler.ts';
