/**
 * Drawing on the map with terra-draw (polygon, line, vertex editing), behind a small interface
 * so the editor speaks outlines and lines, never terra-draw or maplibregl.
 */
import type { LineString, Polygon, Position } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type SnapToCustom,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';

export interface DrawHandlers<G> {
  /** The outline or line as it is now, while the user draws or drags. */
  change?: (geometry: G) => void;
  /** The user finished drawing (double click or a click on the last point). */
  finish?: (geometry: G) => void;
}

/** Screen point → the vertex to snap to, or undefined. */
export type Snapper = (point: { x: number; y: number }) => Position | undefined;

type Hex = `#${string}`;
const LINE = '#d81b60' as Hex;
const SNAP_PX = 10;

export class DrawSurface {
  private readonly draw: TerraDraw;
  private handlers: DrawHandlers<Polygon> & DrawHandlers<LineString> = {};
  private fill: Hex = '#1e88e5';
  private currentId: string | number | null = null;

  constructor(map: MapLibreMap, snapper: Snapper) {
    const toCustom: SnapToCustom = (event) => snapper({ x: event.containerX, y: event.containerY });
    const fillColor = () => this.fill;
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map }),
      modes: [
        new TerraDrawPolygonMode({
          snapping: { toCustom },
          pointerDistance: SNAP_PX,
          styles: { fillColor, fillOpacity: 0.6, outlineColor: LINE, outlineWidth: 2.5 },
        }),
        new TerraDrawLineStringMode({ snapping: { toCustom }, styles: { lineStringColor: LINE, lineStringWidth: 3 } }),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          flags: {
            polygon: {
              feature: { coordinates: { draggable: true, midpoints: true, deletable: true, snappable: { toCustom } } },
            },
          },
          styles: {
            selectedPolygonColor: fillColor,
            selectedPolygonFillOpacity: 0.6,
            selectedPolygonOutlineColor: LINE,
            selectedPolygonOutlineWidth: 2.5,
          },
        }),
      ],
    });
    this.draw.start();
    this.draw.on('change', (ids, type, context) => {
      if (type === 'delete' || (context && 'target' in context && context.target === 'properties')) return;
      for (const id of ids) {
        const geometry = this.draw.getSnapshotFeature(id)?.geometry;
        if (geometry?.type === 'Polygon' || geometry?.type === 'LineString') {
          this.handlers.change?.(geometry as Polygon & LineString);
          return;
        }
      }
    });
    this.draw.on('finish', (id) => {
      const feature = this.draw.getSnapshotFeature(id);
      if (feature && (feature.geometry.type === 'Polygon' || feature.geometry.type === 'LineString')) {
        this.handlers.finish?.(feature.geometry as Polygon & LineString);
      }
    });
  }

  drawPolygon(handlers: DrawHandlers<Polygon>): void {
    this.begin('polygon', handlers as DrawHandlers<Polygon> & DrawHandlers<LineString>);
  }

  drawLine(handlers: DrawHandlers<LineString>): void {
    this.begin('linestring', handlers as DrawHandlers<Polygon> & DrawHandlers<LineString>);
  }

  /** Vertex editing of one outline: drag, insert at midpoints, delete vertices. */
  reshape(polygon: Polygon, handlers: DrawHandlers<Polygon>): void {
    this.begin('select', handlers as DrawHandlers<Polygon> & DrawHandlers<LineString>);
    const id = this.draw.getFeatureId();
    const [result] = this.draw.addFeatures([
      { type: 'Feature', id, geometry: roundTo(polygon, 9), properties: { mode: 'polygon' } },
    ]);
    if (!result?.valid) throw new Error(`outline not editable: ${result?.reason ?? 'invalid'}`);
    this.currentId = id;
    this.draw.selectFeature(id);
  }

  /** The outline being reshaped, as it is now. */
  currentOutline(): Polygon | null {
    const feature = this.currentId === null ? undefined : this.draw.getSnapshotFeature(this.currentId);
    return feature?.geometry.type === 'Polygon' ? (feature.geometry as Polygon) : null;
  }

  /** Colour of the outline being drawn (the live household band). */
  setFill(color: string): void {
    if (color === this.fill) return;
    this.fill = color as Hex;
    // Re-render with the new colour: a no-op property write makes terra-draw restyle the feature.
    for (const feature of this.draw.getSnapshot()) {
      if (feature.geometry.type === 'Polygon') this.draw.updateFeatureProperties(feature.id!, { band: color });
    }
  }

  /** Back to looking: no mode active, nothing drawn. */
  stop(): void {
    this.handlers = {};
    this.currentId = null;
    this.draw.setMode('static');
    this.draw.clear();
  }

  get active(): boolean {
    return this.draw.getMode() !== 'static';
  }

  private begin(mode: string, handlers: DrawHandlers<Polygon> & DrawHandlers<LineString>): void {
    this.stop();
    this.handlers = handlers;
    this.draw.setMode(mode);
  }
}

/** terra-draw refuses coordinates finer than its precision (9 decimals). */
function roundTo(polygon: Polygon, decimals: number): Polygon {
  const f = 10 ** decimals;
  return {
    type: 'Polygon',
    coordinates: polygon.coordinates.map((ring) =>
      ring.map((p) => [Math.round(p[0]! * f) / f, Math.round(p[1]! * f) / f]),
    ),
  };
}
