package org.atomstore.samples;

/** One sample as read from a shard: the shard it came from, its {@code __key__} and its value. */
public record KeyedSample<T>(String shard, String key, T sample) {}
