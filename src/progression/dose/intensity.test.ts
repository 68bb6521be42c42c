import { heartRateMax, karvonenZone, RPE_LIGHT, RPE_MODERATE, type HeartRateZoneName } from './intensity';

describe('heart-rate max (Tanaka 2001)', () => {
  it.each([
    [50, 173],
    [20, 194],
    [45, 176.5],
  ])('is 208 - 0.7 x age: age %p -> %p/min', (age, expected) => {
    expect(heartRateMax(age)).toBeCloseTo(expected, 9);
  });
});

describe('Karvonen zones, bounds rounded to the nearest beat, halves up', () => {
  it.each<[number, number, HeartRateZoneName, number, number]>([
    [50, 70, 'light', 101, 110], // HRmax 173, HRR 103: 100.9 -> 101, 110.17 -> 110
    [50, 70, 'moderate', 111, 131], // 111.2 -> 111, 130.77 -> 131
    [30, 60, 'light', 98, 110], // HRmax 187, HRR 127: 98.1, 109.53
    [40, 75, 'light', 107, 116], // HRR 105: 106.5 halves up to 107, 115.95 -> 116
    [40, 80, 'moderate', 120, 139], // HRR 100: exact
  ])('age %p, rest %p/min, %s zone -> %p-%p/min', (age, restingHeartRate, zone, low, high) => {
    expect(karvonenZone({ age, restingHeartRate, zone })).toEqual({ low, high });
  });

  it('keeps the light and moderate zones contiguous', () => {
    const light = karvonenZone({ age: 50, restingHeartRate: 70, zone: 'light' });
    const moderate = karvonenZone({ age: 50, restingHeartRate: 70, zone: 'moderate' });
    expect(moderate.low - light.high).toBeLessThanOrEqual(1);
  });

  it.each([
    [50, 173],
    [50, 180],
    [0, 60],
    [50, 0],
    [Number.NaN, 60],
  ])('rejects age %p with resting heart rate %p/min (no heart-rate reserve)', (age, restingHeartRate) => {
    expect(() => karvonenZone({ age, restingHeartRate, zone: 'light' })).toThrow(RangeError);
  });
});

describe('RPE bands on the 0-10 scale', () => {
  it('light is 2-3 and moderate 4-6', () => {
    expect(RPE_LIGHT).toEqual({ low: 2, high: 3 });
    expect(RPE_MODERATE).toEqual({ low: 4, high: 6 });
  });
});
