package dev.daxaudit.agent.instrument;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The width in bytes of the single store an advised method makes, bound as a compile-time constant with
 * {@code Advice.withCustomMapping().bind(Width.class, n)}: one advice class serves every width, and the inlined
 * code still sees a constant.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface Width {
}
