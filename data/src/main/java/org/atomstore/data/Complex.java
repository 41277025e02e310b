package org.atomstore.data;

/** A Python complex number (msgpack-numpy stores it as the string of Python's {@code repr}). */
public record Complex(double re, double im) {}
