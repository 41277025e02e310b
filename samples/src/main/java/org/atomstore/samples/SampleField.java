package org.atomstore.samples;

/**
 * One field of a sample schema: its name (the msgpack map key), its type, whether it may be null, and the Java
 * type of the record component that holds it.
 */
public record SampleField(String name, FieldType type, boolean optional, Class<?> javaType) {}
