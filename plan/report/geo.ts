/**
 * Where things are: AWS Regions and sample viewers (data/*.json), great-circle distance and the
 * physical lower bound on a round trip through fibre.
 */
import { C_VACUUM_KM_S, EARTH_RADIUS_KM, FIBRE_GROUP_INDEX } from "./aws-facts";
import placesData from "./data/places.json";
import regionsData from "./data/regions.json";

export interface Point {
    lat: number;
    lon: number;
}

/** A sample viewer: a city, its ISO country and its Route 53 continent. */
export interface Place extends Point {
    name: string;
    country: string;
    continent: string;
}

export const PLACES: readonly Place[] = placesData.places;
export const REGION_LOCATIONS: Readonly<Record<string, Point & { city: string }>> =
    regionsData.regions;

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: Point, b: Point): number {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h =
        Math.sin(dLat / 2) ** 2 +
        Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Fastest possible round trip over `km` of fibre, in ms: 2 × km / (c / n). */
export function rttLowerBoundMs(km: number): number {
    return ((2 * km) / (C_VACUUM_KM_S / FIBRE_GROUP_INDEX)) * 1000;
}

/** The location of a region; throws naming the data file when it is missing. */
export function regionLocation(region: string): Point {
    const p = REGION_LOCATIONS[region];
    if (!p) {
        throw new Error(
            `plan/report/data/regions.json has no location for region ${region}; add it (the city AWS names for the region)`,
        );
    }
    return p;
}

/** Round-trip lower bound from a place to a region, rounded to 0.1 ms. */
export function rttToRegionMs(place: Point, region: string): number {
    return Math.round(rttLowerBoundMs(distanceKm(place, regionLocation(region))) * 10) / 10;
}
