/** Agent upgrades over the tunnel: asked for per device or per group, followed to the outcome. */
package io.tether.upgrade;
