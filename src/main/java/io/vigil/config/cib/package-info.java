/**
 * Imports a Pacemaker CIB's configuration section into Vigil's model, listing what it could not
 * convert. Depends on {@code io.vigil.model} and the JDK's XML parser; reads only the file it is given.
 */
package io.vigil.config.cib;
