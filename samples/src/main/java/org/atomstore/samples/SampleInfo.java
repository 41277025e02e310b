package org.atomstore.samples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional schema facts of a sample record that Java cannot take from the class itself: the schema name
 * (default: the simple class name, as atdata uses {@code __name__}), the version (atdata's default
 * {@code 1.0.0}) and the description (atdata takes the docstring).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SampleInfo {
  String name() default "";

  String version() default "1.0.0";

  String description() default "";
}
