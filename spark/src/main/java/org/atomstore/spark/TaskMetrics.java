package org.atomstore.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums what Spark measured of the tasks that ended while it listened: run time, CPU time, GC time, the longest
 * task. For {@code spark convert --json}, which says where a conversion's time went. Called on Spark's listener
 * thread; read after the job.
 */
final class TaskMetrics extends SparkListener {
  private long tasks;
  private long runMs;
  private long cpuNs;
  private long gcMs;
  private long deserializeMs;
  private long maxRunMs;

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    var m = end.taskMetrics();
    if (m == null) return;
    tasks++;
    runMs += m.executorRunTime();
    cpuNs += m.executorCpuTime();
    gcMs += m.jvmGCTime();
    deserializeMs += m.executorDeserializeTime();
    maxRunMs = Math.max(maxRunMs, m.executorRunTime());
  }

  /** The sums as JSON fields, in seconds. */
  synchronized void into(com.fasterxml.jackson.databind.node.ObjectNode n) {
    n.put("tasks", tasks).put("task_run_seconds", runMs / 1e3).put("task_cpu_seconds", cpuNs / 1e9)
        .put("task_gc_seconds", gcMs / 1e3).put("task_deserialize_seconds", deserializeMs / 1e3)
        .put("longest_task_seconds", maxRunMs / 1e3);
  }
}
